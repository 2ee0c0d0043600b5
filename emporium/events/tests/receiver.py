"""A real HTTP webhook receiver on 127.0.0.1 for the tests: records requests, can be down or hang."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """mode: "ok" (204), "down" (503), "hang" (never answers until released)."""

    mode: str = "ok"
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> "Receiver":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                owner.received.append(
                    Received({k.lower(): v for k, v in self.headers.items()}, body)
                )
                owner.arrived.set()
                if owner.mode == "hang":
                    owner.release.wait(30)
                    return
                status = 204 if owner.mode == "ok" else 503
                self.send_response(status)
                self.send_header("content-length", "0" if status == 204 else "11")
                self.end_headers()
                if status != 204:
                    self.wfile.write(b"unavailable")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
