"""A tiny http.server app: install on a shop (OAuth + PKCE), list its items, print order webhooks.

/           the items of the seller's own shop: opened from the seller center with ?session=<JWT>,
            or with hello's own ?pass=<view pass> afterwards; anyone else is told to go there
/install    starts the authorization (redirects the seller to the platform's consent screen)
/callback   the redirect URI: exchanges the code, keeps the tokens in <data-dir>/tokens.json
            (<data-dir>: HELLO_DATA_DIR, else $EMPORIUM_VAR_DIR/hello, else ./var/hello),
            then shows the seller their items
/webhooks   the webhook URL: verifies the Standard Webhooks signature, prints the event
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from emporium_sdk import (
    EmporiumError,
    Installer,
    JsonFileTokenStore,
    OAuthApp,
    SessionTokenError,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
    verify_session_token,
)
from emporium_sdk.appconfig import data_dir
from emporium_sdk.viewpass import ViewPassError, check_pass, issue_pass

SCOPES = ["shop:read", "items:read", "orders:read"]
PURPOSE = "hello"  # of our view passes: a key of their own, derived from the client secret
PAGE = "<!doctype html><meta charset=utf-8><title>hello</title><h1>hello</h1>"
OPEN_FROM_SELLER_CENTER = (
    "<p>Open hello from your seller center (Apps) to see your shop's items.</p>"
    '<p>Not installed yet? <a href="/install">Install hello on your shop</a></p>'
)


class NotTheSeller(Exception):
    """A session token or pass that is forged, expired, or for another app."""


class Hello:
    """The app's state: its installer (OAuth client, tokens by shop), its shops, the verifier."""

    def __init__(
        self, platform: str, client_id: str, client_secret: str, webhook_secret: str | None,
        public_url: str, data_dir: Path,
    ) -> None:  # fmt: skip
        oauth = OAuthApp(
            client_id, client_secret, base_url=platform, redirect_uri=f"{public_url}/callback"
        )
        self.client_id, self.client_secret = client_id, client_secret
        self.installer = Installer(
            oauth, JsonFileTokenStore(data_dir / "tokens.json"),
            SqlitePendingStore(data_dir / "pending.sqlite3"), scopes=SCOPES,
        )  # fmt: skip
        self.shops_file = data_dir / "shops.txt"
        # Several secrets, space-separated, while the endpoint's secret is being rotated.
        secrets = (webhook_secret or "").split()
        self.verifier = WebhookVerifier(secrets) if secrets else None

    def shops(self) -> list[str]:
        if not self.shops_file.exists():
            return []
        return self.shops_file.read_text().split()

    def finish_install(self, query: dict[str, str]) -> str:
        """Check the callback, exchange its code; returns the shop's id."""
        shop_id = self.installer.finish(query).shop_id
        if shop_id not in self.shops():
            with self.shops_file.open("a") as out:
                out.write(shop_id + "\n")
        print(f"installed on shop {shop_id}", flush=True)
        return shop_id

    def seller_shop(self, query: dict[str, str]) -> str | None:
        """The shop whose seller is looking, or None for anyone else. The seller center opens hello
        with a 60-second session token signed with our client secret; our own pass (8 hours,
        signed with a key derived from it) carries the seller's later requests."""
        try:
            if "pass" in query:
                return check_pass(query["pass"], self.client_secret, purpose=PURPOSE)
            if "session" in query:
                return verify_session_token(
                    query["session"], client_id=self.client_id, client_secret=self.client_secret
                ).shop_id
        except (SessionTokenError, ViewPassError) as error:
            raise NotTheSeller(str(error)) from None
        return None

    def view_pass(self, shop_id: str) -> str:
        return issue_pass(shop_id, self.client_secret, purpose=PURPOSE)

    def items_page(self, shop_id: str | None) -> str:
        """The items of `shop_id`, for its seller only; no shop's items for anyone else."""
        if shop_id is None:
            return PAGE + OPEN_FROM_SELLER_CENTER
        if shop_id not in self.shops():
            return PAGE + '<p><a href="/install">Install hello on your shop</a></p>'
        rows = []
        with self.installer.client(shop_id) as client:
            rows.append(f"<h2>{html.escape(client.shop.get().name)}</h2><ul>")
            for item in client.items.list():
                rows.append(
                    f"<li>{html.escape(item.title)} — {item.price.amount} "
                    f"{item.price.currency} ({item.stock} in stock)</li>"
                )
        rows.append(f'</ul><p><a href="/?pass={self.view_pass(shop_id)}">Refresh</a></p>')
        return PAGE + "".join(rows)

    def receive(self, body: bytes, headers: dict[str, str]) -> None:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret configured (--webhook-secret)")
        event = self.verifier.verify(body, headers)
        line = f"webhook {event.type} {event.id} shop={event.shop_id}"
        order = event.data.get("order") if isinstance(event.data, dict) else None
        if isinstance(order, dict):
            total = order.get("total_amount", {})
            line += (
                f" order={order.get('number')} total={total.get('amount')} {total.get('currency')}"
            )
        print(line, flush=True)


def handler_for(hello: Hello) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            try:
                if url.path == "/":
                    self.reply(200, hello.items_page(hello.seller_shop(query)))
                elif url.path == "/install":
                    self.redirect(hello.installer.start())
                elif url.path == "/callback":
                    # The browser that brings back the code of a state we started is the one
                    # of the seller who consented: it may see the shop's items.
                    shop_id = hello.finish_install(query)
                    self.redirect(f"/?pass={hello.view_pass(shop_id)}")
                else:
                    self.reply(404, "not found")
            except NotTheSeller as error:
                refused = f"<p><small>{html.escape(str(error))}</small></p>"
                self.reply(401, PAGE + OPEN_FROM_SELLER_CENTER + refused)
            except EmporiumError as error:
                self.reply(400, f"<p>{html.escape(str(error))}</p>")

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/webhooks":
                self.reply(404, "not found")
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                hello.receive(body, dict(self.headers.items()))
            except WebhookVerificationError as error:
                print(f"refused a webhook: {error}", flush=True)
                self.reply(400, "refused")
                return
            self.send_response(204)
            self.end_headers()

        def reply(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass  # the app prints what matters itself

    return Handler


def main(argv: list[str] | None = None) -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="hello", description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default=env("EMPORIUM_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--client-id", default=env("HELLO_CLIENT_ID"))
    parser.add_argument("--client-secret", default=env("HELLO_CLIENT_SECRET"))
    parser.add_argument("--webhook-secret", default=env("HELLO_WEBHOOK_SECRET"))
    parser.add_argument("--port", type=int, default=int(env("HELLO_PORT", "8001")))
    parser.add_argument("--public-url", help="default http://127.0.0.1:<port>")
    parser.add_argument("--data-dir", type=Path, default=data_dir("hello"))
    args = parser.parse_args(argv)
    if not args.client_id or not args.client_secret:
        parser.error("give --client-id and --client-secret (or HELLO_CLIENT_ID/_SECRET)")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    public_url = (args.public_url or f"http://127.0.0.1:{args.port}").rstrip("/")
    hello = Hello(
        args.platform, args.client_id, args.client_secret, args.webhook_secret, public_url,
        args.data_dir,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(hello))
    print(f"hello listening on {public_url} (redirect URI {public_url}/callback)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)
