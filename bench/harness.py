"""What the benchmarks share: a real server on a free loopback port, the load generator (wrk),
the floor beside each scenario, latency figures, the docs page.

The server is started the way `emporium serve` starts it (emporium/serving.py: granian WSGI by
default; `server="uvicorn"` or $WEB_SERVER picks the other). Load comes from `wrk`, a compiled
load generator, so the clients take a small share of the cores the server runs on; `run_wrk`
returns its counts, latency percentiles and errors (failed connections, timeouts, answers other
than 2xx/3xx) without ever raising on them, so a bench always finishes and reports.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs" / "performance.md"
FLOOR_PATH = "/healthz"  # answered by the whole middleware stack, no view work, no database
sys.path.insert(0, str(PROJECT))
from emporium.serving import server_command  # noqa: E402 - after the project is importable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    port: int, env: dict[str, str], workers: int = 2, server: str | None = None
) -> subprocess.Popen:
    """The platform on 127.0.0.1:`port`, run as `emporium serve` runs it (`server`: granian or
    uvicorn; default $WEB_SERVER in `env`, else granian)."""
    command = server_command("127.0.0.1", port, workers, server or env.get("WEB_SERVER"))
    _stop_servers_on_sigterm()
    # A session of its own, so stopping it also stops the workers it forked.
    return subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)  # noqa: S603


def _stop_servers_on_sigterm() -> None:
    """A bench stopped with SIGTERM still runs its `finally:` blocks, which stop its servers."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_until_up(base_url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server exited with code {server.returncode} before answering.")
        try:
            if httpx.get(base_url + "/", timeout=5).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"The server did not answer within {timeout:.0f} s.")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]


def replace_section(text: str, heading: str, section: str) -> str:
    """Put `section` under `heading` in a Markdown text, replacing what stood there before.

    The generated part ends at the next heading of any level: a `###` subsection written by hand
    under a bench's section (earlier runs, analysis) survives the bench's next `--write-docs`."""
    start = text.find(heading)
    body = f"{heading}\n\n{section.rstrip()}\n"
    if start == -1:
        return text.rstrip() + "\n\n" + body
    found = re.search(r"\n#{2,3} ", text[start + len(heading) :])
    end = start + len(heading) + found.start() if found else -1
    tail = text[end + 1 :] if end != -1 else ""
    return text[:start] + body + ("\n" + tail if tail else "")


def run_child(script: str, step: str, env: dict[str, str], **kwargs) -> dict:
    """Run one `--child` step of a benchmark script in a fresh process (its own Django set-up,
    settings from `env`); the step prints its result as the last line of JSON."""
    command = [sys.executable, script, "--child", step, "--child-args", json.dumps(kwargs)]
    done = subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_var(var: Path) -> None:
    """A benchmark's data directory without its previous database (the static root is kept)."""
    (var / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT; whitenoise warns if absent
    for leftover in var.glob("emporium.sqlite3*"):
        leftover.unlink()


def wrap(block: str) -> str:
    """Code and tables keep their lines; paragraphs are wrapped like the rest of docs/."""
    if block.startswith(("```", "|")):
        return block
    return textwrap.fill(block, width=100, break_on_hyphens=False)


# --- load with wrk -----------------------------------------------------------------------------

# Requests the given paths in turn (each wrk thread from its own starting point) and prints the
# summary as one JSON line: counts, errors by kind, latency percentiles in microseconds.
_WRK_SCRIPT = """
local paths = {%s}
local n = #paths
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 7919)
end
function init(args)
  i = start or 0
end
function request()
  i = i %% n + 1
  return wrk.format(nil, paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"status":%%d,"timeout":%%d,"p50":%%d,"p90":%%d,"p99":%%d,"max":%%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


@dataclass
class Load:
    """What one wrk run measured. `errors` counts failed connects, reads, writes, timeouts and
    answers other than 2xx/3xx; `ok` requests are the rest."""

    name: str
    requests: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    note: str = ""  # why the run gave no figures (wrk missing or crashed)

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def ok(self) -> int:
        return max(0, self.requests - self.errors.get("status", 0))

    @property
    def rate(self) -> float:
        """Successful answers per second."""
        return self.ok / self.seconds if self.seconds else 0.0

    def errors_text(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.errors.items() if n) or "0"


def ensure_wrk() -> str:
    """The path of `wrk`, installed from Debian's packages when absent (as root, or with sudo)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with apt-get (Debian's package)...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(sudo + step, check=False, capture_output=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed and could not be installed: apt-get install wrk")
    return found


def wrk_version() -> str:
    done = subprocess.run([ensure_wrk(), "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return ((done.stdout or done.stderr).splitlines() or ["wrk"])[0].split(" [")[0]


def run_wrk(
    name: str,
    base_url: str,
    paths: list[str],
    *,
    seconds: float = 10,
    connections: int = 32,
    threads: int = 2,
    timeout: float = 10,
    headers: dict[str, str] | None = None,
) -> Load:
    """Load `base_url` with `connections` keep-alive connections for `seconds`, requesting
    `paths` in turn, after the server has settled from the last run. Never raises on what the
    server does: errors are counted in the result."""
    settle(base_url)
    listed = ",".join(json.dumps(p) for p in paths)  # JSON strings are valid Lua strings here
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % listed)
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s",
               f"--timeout={timeout:g}s", "-s", script.name]  # fmt: skip
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    command.append(base_url)
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, check=False, timeout=seconds + 60
        )
    except subprocess.TimeoutExpired:
        return Load(name, note="wrk did not finish")
    finally:
        os.unlink(script.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        return Load(name, note=f"wrk failed: {(done.stderr or done.stdout)[-300:]}")
    data = json.loads(line[len("WRKJSON ") :])
    kinds = ("connect", "read", "write", "timeout", "status")
    if not data["requests"]:
        return Load(
            name, errors={k: data[k] for k in kinds}, note=f"no answer within {timeout:g} s"
        )
    return Load(
        name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors={kind: data[kind] for kind in kinds},
        p50_ms=data["p50"] / 1000,
        p90_ms=data["p90"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
    )


def settle(base_url: str, seconds: float = 60) -> None:
    """Wait until the server has worked off what the last run left queued (the requests wrk had
    in flight when it stopped), so it does not weigh on the next run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(base_url + FLOOR_PATH, timeout=seconds)
        if time.monotonic() - started < 0.2:
            return
        time.sleep(0.2)


def load_table(rows: list[tuple[str, Load, Load | None]]) -> str:
    """A Markdown table of (label, load, floor of the same server) rows: req/s, latency, errors
    and the ratio to the floor."""
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | errors | × floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, load, floor in rows:
        if load.note:
            lines.append(f"| {label} | — | — | — | {load.note} | — |")
            continue
        ratio = f"{load.rate / floor.rate:.2f}" if floor and floor.rate else "—"
        lines.append(
            f"| {label} | {load.rate:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} "
            f"| {load.errors_text()} | {ratio} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min) / {five:.1f} (5 min)"
