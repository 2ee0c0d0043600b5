"""How the platform's web process runs: which HTTP server, how many workers (docs/decisions.md).

One place builds the command, so `emporium serve`, the demo and the benchmarks run the web
process the same way. Granian serves the sync Django views over WSGI by default: measured
against uvicorn (ASGI, with uvloop and httptools) it answers the same pages at a higher rate,
because a WSGI request runs straight on a worker thread instead of hopping from the event loop
to a thread and back (docs/performance.md, "Serving stack").
"""

import os
import sys

SERVERS = ("granian", "uvicorn")
DEFAULT_SERVER = "granian"


def server_command(
    host: str, port: int, workers: int, server: str | None = None, threads: int | None = None
) -> list[str]:
    """The command line that serves the platform on `host`:`port` with `workers` processes.

    `server` defaults to $WEB_SERVER, else granian; `threads` (WSGI threads per worker) to
    $WEB_THREADS, else 1: the views are CPU-bound and one thread per process avoids fighting
    over the GIL, while Granian's own I/O threads keep the connections."""
    server = server or os.environ.get("WEB_SERVER") or DEFAULT_SERVER
    if server not in SERVERS:
        raise ValueError(f"unknown web server {server!r}; choose one of {', '.join(SERVERS)}")
    threads = threads or int(os.environ.get("WEB_THREADS") or 1)
    if server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi",
                "emporium.wsgi:application", "--host", host, "--port", str(port),
                "--workers", str(workers), "--blocking-threads", str(threads),
                "--no-ws", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    return [sys.executable, "-m", "uvicorn", "emporium.asgi:application",
            "--host", host, "--port", str(port), "--workers", str(workers),
            "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning"]  # fmt: skip
