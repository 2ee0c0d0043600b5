"""The market end to end in Chromium, with a tiny app served on 127.0.0.1 by http.server: the
seller installs it on a trial plan, the app completes its OAuth authorization, opens embedded and
checks its session token with PyJWT, its block shows sandboxed on the shop page, and after the
uninstall the app's token is refused."""

import base64
import hashlib
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.ecosystem.registration import register_app
from emporium.market.listings import BlockSpec
from emporium.market.models import Subscription
from emporium.market.tests.conftest import PLANS, SCOPES, make_listing

pytestmark = pytest.mark.django_db(transaction=True)


class TinyApp:
    """An ISV's app: install → OAuth (PKCE) → token; an admin page; a shop-page block."""

    def __init__(self, platform: str):
        self.platform = platform
        self.client_id = self.secret = ""
        self.token = ""
        self.verifier = secrets.token_urlsafe(48)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _handler(self):
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                route = {
                    "/install": app.install, "/callback": app.callback,
                    "/admin": app.admin, "/blocks/best": app.block,
                }.get(parts.path)  # fmt: skip
                status, headers, body = route(query) if route else (404, {}, "not found")
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body.encode())

        return Handler

    def install(self, query):
        challenge = base64.urlsafe_b64encode(hashlib.sha256(self.verifier.encode()).digest())
        params = {
            "response_type": "code", "client_id": self.client_id,
            "redirect_uri": f"{self.url}/callback", "scope": " ".join(SCOPES), "state": "st",
            "code_challenge": challenge.rstrip(b"=").decode(), "code_challenge_method": "S256",
        }  # fmt: skip
        location = f"{self.platform}/o/authorize/?{urllib.parse.urlencode(params)}"
        return 302, {"Location": location}, ""

    def callback(self, query):
        data = {
            "grant_type": "authorization_code", "code": query["code"],
            "redirect_uri": f"{self.url}/callback", "code_verifier": self.verifier,
        }  # fmt: skip
        answer = httpx.post(
            f"{self.platform}/o/token/", data=data, auth=(self.client_id, self.secret), timeout=10
        )
        self.token = answer.json()["access_token"]
        return 200, {}, "<h1>connected</h1>"

    def admin(self, query):
        try:
            claims = jwt.decode(
                query.get("session", ""), self.secret, algorithms=["HS256"],
                audience=self.client_id, issuer=self.platform,
                options={"require": ["exp", "iat", "nbf", "jti", "sub", "dest"]},
            )  # fmt: skip
        except jwt.PyJWTError as error:
            return 200, {}, f"<p id='state'>rejected: {error}</p>"
        return 200, {}, f"<p id='state'>verified</p><p id='shop'>{claims['dest']}</p>"

    def block(self, query):
        return 200, {}, f"<p id='block'>Bestsellers of {query.get('shop')}</p>"

    def call(self, path: str) -> int:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.get(f"{self.platform}/api/v1{path}", headers=headers, timeout=10).status_code

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tiny_app(live_server, developer):
    with TinyApp(live_server.url) as tiny:
        app, secret = register_app(
            developer, name="Shop Stats", redirect_uris=[f"{tiny.url}/callback"], scopes=SCOPES
        )
        tiny.client_id, tiny.secret = app.client_id, secret
        make_listing(
            app, plans=PLANS, install_url=f"{tiny.url}/install", app_url=f"{tiny.url}/admin",
            blocks=[BlockSpec("Bestsellers", f"{tiny.url}/blocks/best")],
        )  # fmt: skip
        tiny.app = app
        yield tiny


def test_a_seller_installs_uses_embeds_places_a_block_and_uninstalls(page, tiny_app, seller, shop):
    page.goto(reverse("members:login") + "?next=" + reverse("market:browse"))
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Browse, open the app's page, install it on the trial plan.
    page.get_by_role("link", name="Shop Stats").click()
    assert "14-day free trial" in page.get_by_test_id("plans").inner_text()
    page.get_by_role("link", name="Install", exact=True).click()
    assert "See your orders" in page.get_by_test_id("install-scopes").inner_text()
    page.get_by_label("Basic").check()
    page.get_by_role("button", name="Install and authorize").click()
    # The app's install URL starts OAuth; the market install was the consent, so it comes back.
    page.wait_for_url(f"{tiny_app.url}/callback**")
    assert page.locator("h1").inner_text() == "connected"
    sub = Subscription.objects.get(installation__shop=shop)
    assert sub.status == Subscription.Status.TRIALING
    assert tiny_app.call("/shop") == 200

    # The app opens inside the seller center and verifies its session token.
    page.goto(reverse("market:installed"))
    page.get_by_role("link", name="Open").first.click()
    frame = page.frame_locator("[data-testid=embedded-app]")
    assert frame.locator("#state").inner_text() == "verified"
    assert frame.locator("#shop").inner_text() == str(shop.public_id)

    # Its block goes on the shop page, in a sandboxed frame.
    page.goto(reverse("market:blocks"))
    page.get_by_label("Block").select_option(label="Shop Stats · Bestsellers")
    page.get_by_role("button", name="Add to shop page").click()
    page.goto(reverse("storefront:shop", args=[shop.slug]))
    block = page.get_by_test_id("app-block")
    assert block.get_attribute("sandbox") == "allow-scripts"
    inside = page.frame_locator("[data-testid=app-block]").locator("#block")
    assert inside.inner_text() == f"Bestsellers of {shop.public_id}"

    # Uninstall, confirmed: the app's token no longer works.
    page.goto(reverse("market:installed"))
    page.get_by_role("link", name="Uninstall").click()
    page.get_by_role("button", name="Uninstall").click()
    assert page.get_by_test_id("empty-state").is_visible()
    assert tiny_app.call("/shop") == 401
    page.goto(reverse("storefront:shop", args=[shop.slug]))
    assert page.get_by_test_id("app-block").count() == 0
