"""A real HTTP webhook receiver on 127.0.0.1 for the tests: records requests, can be down or hang."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE_BYTES = 64 * 1024 * 1024
SLOW_SECONDS = 0.15


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str = "/hooks"
    at: float = 0.0  # time.monotonic() on arrival


@dataclass
class Receiver:
    """mode: "ok" (204), "down" (503), "hang" (never answers until released), "huge" (a 200
    whose body goes on for HUGE_BYTES), "drip" (a status line sent one byte at a time, slowly),
    "slow" (204 after SLOW_SECONDS, so a worker can be killed in the middle of a run).
    `paths` gives a path its own mode (e.g. {"/slow": "hang"}); other paths follow `mode`."""

    mode: str = "ok"
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    paths: dict[str, str] = field(default_factory=dict)
    sent_bytes: int = 0

    def start(self) -> "Receiver":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                owner.received.append(
                    Received(
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                        self.path,
                        time.monotonic(),
                    )
                )
                owner.arrived.set()
                mode = owner.paths.get(self.path, owner.mode)
                if mode == "hang":
                    owner.release.wait(30)
                    return
                if mode == "huge":
                    self.huge()
                    return
                if mode == "drip":
                    self.drip()
                    return
                if mode == "slow":
                    time.sleep(SLOW_SECONDS)
                status = 204 if mode in ("ok", "slow") else 503
                self.send_response(status)
                self.send_header("content-length", "0" if status == 204 else "11")
                self.end_headers()
                if status != 204:
                    self.wfile.write(b"unavailable")

            def huge(self):
                self.send_response(200)
                self.send_header("content-length", str(HUGE_BYTES))
                self.end_headers()
                chunk = b"x" * 65536
                try:
                    while owner.sent_bytes < HUGE_BYTES:
                        self.wfile.write(chunk)
                        owner.sent_bytes += len(chunk)
                except OSError:
                    pass  # the client stopped reading: what it should do

            def drip(self):
                try:
                    for byte in b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n":
                        if owner.release.wait(0.3):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def port(self) -> int:
        return self.server.server_port

    @property
    def url(self) -> str:
        return self.url_for("/hooks")

    def url_for(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
