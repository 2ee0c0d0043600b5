"""Helpers of the SDK's contract tests: the platform's log-in and consent forms over HTTP, a webhook receiver."""

import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from emporium.conftest import PASSWORD

REDIRECT_URI = "http://127.0.0.1:8765/callback"  # never served: the code is read off the redirect
SCOPES = [
    "shop:read", "shop:write", "items:read", "items:write", "orders:read", "orders:write",
    "refunds:read", "promotions:read", "reviews:read", "customers:read", "finance:read",
    "catalog:read", "design:read", "design:write", "pictures:read", "pictures:write",
]  # fmt: skip


class _Inputs(HTMLParser):
    """The inputs of one form of a page, by name (the consent form's hidden fields)."""

    def __init__(self, form_id: str | None = None) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, form_id is None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = attrs.get("id") == self.form_id
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None:
            self.inside = False


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    parser = _Inputs(form_id)
    parser.feed(html)
    return parser.fields


def log_in(base_url: str, username: str) -> httpx.Client:
    """A browser-like HTTP client logged in on the platform through its real log-in form."""
    browser = httpx.Client(base_url=base_url, timeout=10)
    page = browser.get("/account/login/")
    fields = form_fields(page.text)
    response = browser.post(
        "/account/login/",
        data={**fields, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base_url}/account/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return browser


def consent(browser: httpx.Client, url: str) -> str:
    """Open the consent screen at `url`, press Authorize; returns where the platform redirects."""
    page = browser.get(url)
    assert page.status_code == 200, page.text[:500]
    fields = form_fields(page.text, "authorizationForm")
    response = browser.post("/o/authorize/", data={**fields, "allow": "Authorize"})
    assert response.status_code == 302, response.text[:500]
    return response.headers["location"]


class Receiver:
    """A tiny webhook receiver on this machine, recording each request's headers and raw body."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
