"""What the benchmarks share: a real server on a free loopback port, latency figures, the docs page."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs" / "performance.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, env: dict[str, str], workers: int = 2) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "emporium.asgi:application",
               "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port),
               "--no-access-log", "--log-level", "warning"]  # fmt: skip
    # A session of its own, so stopping it also stops the workers it forked.
    return subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)  # noqa: S603


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
    """Put `section` under `heading` in a Markdown text, replacing what stood there before."""
    start = text.find(heading)
    body = f"{heading}\n\n{section.rstrip()}\n"
    if start == -1:
        return text.rstrip() + "\n\n" + body
    end = text.find("\n## ", start + len(heading))
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
