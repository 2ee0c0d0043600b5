"""wrk driving a server with a pool of prepared requests (POST bodies, headers), through Lua.

wrk alone repeats one request; the benches need many different ones (each beacon its own
visitor address, each checkout its own buyer's cookie). `run()` writes the pool into a Lua script
that cycles through it, counts every answer by status (and, optionally, sums a numeric response
header such as `Emporium-Events-Accepted`), and prints the result as one JSON line with wrk's
latency percentiles and its socket errors — a failed connection is counted, never a crash.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


def _lua_string(text: str) -> str:
    level = "=" * 4
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def _script(pool: list[Request], count_header: str | None) -> str:
    entries = []
    for r in pool:
        headers = ", ".join(
            f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in r.headers.items()
        )
        entries.append(
            f"{{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, "
            f"{_lua_string(r.body)}}}"
        )
    header = (count_header or "").lower()
    return (
        "local pool = {\n"
        + ",\n".join(entries)
        + "\n}\n"
        + f"local count_header = {_lua_string(header)}\n"
        + """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
local prepared, next_one = {}, 0
statuses, counted = {}, 0
function init(args)
  for i, r in ipairs(pool) do
    prepared[i] = wrk.format(r[1], r[2], r[3], r[4])
  end
  next_one = (id * 7919) % #prepared
end
function request()
  next_one = next_one % #prepared + 1
  return prepared[next_one]
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if count_header ~= "" then
    for name, value in pairs(headers) do
      if string.lower(name) == count_header then counted = counted + (tonumber(value) or 0) end
    end
  end
end
function done(summary, latency, requests)
  local merged, total_counted = {}, 0
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do merged[status] = (merged[status] or 0) + n end
    total_counted = total_counted + t:get("counted")
  end
  local parts = {}
  for status, n in pairs(merged) do table.insert(parts, string.format('"%d": %d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRK_POOL {"statuses": {%s}, "counted": %d, "requests": %d, "duration_us": %d, '
    .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "timeout": %d}\\n',
    table.concat(parts, ", "), total_counted, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout))
end
"""
    )


def run(
    base_url: str, pool: list[Request], *, seconds: float, connections: int = 32,
    threads: int = 2, count_header: str | None = None, timeout_s: int = 10,
) -> dict:  # fmt: skip
    """Drive `base_url` with the pool for `seconds`; the JSON wrk's Lua `done()` printed, plus
    `rate` (answers/s), `ok` (2xx answers) and `errors` (everything else, sockets included)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(_script(pool, count_header))
    try:
        done = subprocess.run(  # noqa: S603
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
             "--timeout", f"{timeout_s}s", "-s", lua.name, base_url],  # fmt: skip
            capture_output=True, text=True, check=False, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        Path(lua.name).unlink(missing_ok=True)
    found = [line for line in done.stdout.splitlines() if line.startswith("WRK_POOL ")]
    if not found:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(found[-1].removeprefix("WRK_POOL "))
    statuses = {int(k): v for k, v in result["statuses"].items()}
    result["statuses"] = statuses
    result["ok"] = sum(n for status, n in statuses.items() if 200 <= status < 300)
    sockets = result["connect"] + result["read"] + result["write"] + result["timeout"]
    result["errors"] = sum(statuses.values()) - result["ok"] + sockets
    result["seconds"] = result["duration_us"] / 1e6
    result["rate"] = sum(statuses.values()) / result["seconds"] if result["seconds"] else 0.0
    return result
