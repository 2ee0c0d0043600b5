"""The hello app, run as its own process against a live platform: install, list items, print webhooks."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from emporium.conftest import PASSWORD

HELLO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]


@pytest.fixture(autouse=True)
def _platform_settings(settings):
    settings.API_CALL_LOG_THREAD = False
    settings.REDIS_URL = ""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    settings.PASSWORD_HASHERS = [fast, *settings.PASSWORD_HASHERS]
    yield
    from emporium.api import calllog

    calllog.discard()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Running:
    """hello in a subprocess, its output collected line by line."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": str(HELLO / "src")}
        self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and app
            [sys.executable, "-m", "hello", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def wait_for(self, pattern: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines if re.search(pattern, line)]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"hello never printed {pattern!r}; it printed {self.lines}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class _Inputs(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, form_id is None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id:
            self.inside = attrs.get("id") == self.form_id
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def fields_of(page: str, form_id: str | None = None) -> dict[str, str]:
    parser = _Inputs(form_id)
    parser.feed(page)
    return parser.fields


def seller_browser(base_url: str, username: str) -> httpx.Client:
    browser = httpx.Client(base_url=base_url, timeout=20)
    form = fields_of(browser.get("/account/login/").text)
    logged_in = browser.post(
        "/account/login/", data={**form, "username": username, "password": PASSWORD}
    )
    assert logged_in.status_code == 302
    return browser


def register_hello(developer, hello_url: str):
    from emporium.ecosystem.registration import register_app

    return register_app(
        developer, name="hello", redirect_uris=[f"{hello_url}/callback"],
        scopes=["shop:read", "items:read", "orders:read"],
    )  # fmt: skip


def run_hello(live_server, app, secret, port, data_dir, webhook_secret="") -> Running:
    args = ["--platform", live_server.url, "--client-id", app.client_id, "--client-secret", secret,
            "--port", str(port), "--data-dir", str(data_dir)]  # fmt: skip
    hello = Running([*args, "--webhook-secret", webhook_secret] if webhook_secret else args)
    hello.wait_for("hello listening")
    return hello


def install(hello: Running, hello_url: str, live_server, shop) -> str:
    """The seller installs hello: hello → consent screen → hello's callback; returns where the
    callback sends the seller's browser."""
    visitor = httpx.Client(base_url=hello_url, timeout=20)
    consent_url = visitor.get("/install").headers["location"]
    browser = seller_browser(live_server.url, shop.owner.username)
    page = browser.get(consent_url)
    allowed = browser.post(
        "/o/authorize/",
        data={**fields_of(page.text, "authorizationForm"), "allow": "Authorize"},
    )
    callback = allowed.headers["location"]
    assert callback.startswith(f"{hello_url}/callback?")
    landed = visitor.get(callback)
    assert landed.status_code == 302
    hello.wait_for(f"installed on shop {shop.public_id}")
    return landed.headers["location"]


def test_hello_installs_lists_items_and_prints_verified_order_webhooks(
    live_server, developer, seller, shop, make_item, order_in, tmp_path
):
    from emporium.events import dispatcher, endpoints

    port = free_port()
    hello_url = f"http://127.0.0.1:{port}"
    app, secret = register_hello(developer, hello_url)
    endpoint = endpoints.subscribe(app, f"{hello_url}/webhooks", ["order.paid"])
    item = make_item(shop, title="Linen summer dress")
    hello = run_hello(live_server, app, secret, port, tmp_path, webhook_secret=endpoint.secret)
    try:
        visitor = httpx.Client(base_url=hello_url, timeout=20)
        assert "Install hello" in visitor.get("/").text

        # Back from the consent screen, the seller lands on their shop's items.
        listing = visitor.get(install(hello, hello_url, live_server, shop)).text
        assert shop.name.replace("'", "&#x27;") in listing
        assert "Linen summer dress — 199.00 CNY (10 in stock)" in listing
        anonymous = visitor.get("/").text
        assert "seller center" in anonymous and "Linen summer dress" not in anonymous

        # A buyer pays an order; the platform's dispatcher pushes order.paid to hello.
        order = order_in(item.skus.first(), status="paid")
        assert dispatcher.run_once() == 1
        line = hello.wait_for("webhook order.paid")
        assert f"shop={shop.public_id}" in line
        assert f"order={order.number} total=" in line

        forged = visitor.post(
            "/webhooks", content=b'{"type": "order.paid"}',
            headers={"webhook-id": "msg_1", "webhook-timestamp": str(int(time.time())),
                     "webhook-signature": "v1,Zm9yZ2Vk"},
        )  # fmt: skip
        assert forged.status_code == 400
        hello.wait_for("refused a webhook: no matching signature")
    finally:
        hello.stop()


def test_hello_shows_a_shops_items_only_to_that_shops_seller(
    live_server, developer, shop, other_shop, make_item, tmp_path
):
    import jwt

    from emporium.market import listings
    from emporium.market.embedding import embed_url

    port = free_port()
    hello_url = f"http://127.0.0.1:{port}"
    app, secret = register_hello(developer, hello_url)
    make_item(shop, title="Linen summer dress")
    make_item(other_shop, title="Silk evening gown")
    hello = run_hello(live_server, app, secret, port, tmp_path)
    try:
        install(hello, hello_url, live_server, shop)
        install(hello, hello_url, live_server, other_shop)
        # The seller center opens hello's reviewed admin page with a session token.
        listed = listings.save_listing(
            app, name="hello", summary_en="hello", description_en="hello",
            category="operations", scopes=["shop:read", "items:read", "orders:read"],
            app_url=f"{hello_url}/", plans=[listings.PlanSpec(name="Free", kind="free")],
            submit=True,
        )  # fmt: skip
        listings.approve(listed)

        def opened_by_seller_of(a_shop) -> str:
            answer = httpx.get(embed_url(listed, a_shop, a_shop.owner, live_server.url), timeout=20)
            assert answer.status_code == 200
            return answer.text

        mine = opened_by_seller_of(shop)
        assert "Linen summer dress — 199.00 CNY" in mine and "Silk evening gown" not in mine
        theirs = opened_by_seller_of(other_shop)
        assert "Silk evening gown — 199.00 CNY" in theirs and "Linen summer dress" not in theirs
        # The page's own pass keeps the seller on their shop once the session token has expired.
        refresh = re.search(r'href="(/\?pass=[^"]+)"', mine).group(1)
        again = httpx.get(hello_url + refresh, timeout=20).text
        assert "Linen summer dress" in again and "Silk evening gown" not in again

        now = int(time.time())
        claims = {
            "aud": app.client_id,
            "dest": str(other_shop.public_id),
            "iat": now,
            "exp": now + 60,
        }
        forged = jwt.encode(claims, "not-the-client-secret-of-hello-at-all", algorithm="HS256")
        expired = jwt.encode(
            {**claims, "iat": now - 600, "exp": now - 540}, secret, algorithm="HS256"
        )
        tampered = refresh.replace("/?pass=", "/?pass=x", 1)
        for refused in (f"/?session={forged}", f"/?session={expired}", tampered):
            answer = httpx.get(hello_url + refused, timeout=20)
            assert answer.status_code == 401, refused
            assert "seller center" in answer.text and "Silk evening gown" not in answer.text
            assert "Linen summer dress" not in answer.text
        anonymous = httpx.get(hello_url + "/", timeout=20).text
        assert "seller center" in anonymous and "Linen summer dress" not in anonymous
        assert "Silk evening gown" not in anonymous
    finally:
        hello.stop()


def test_hello_imports_nothing_of_the_platform():
    for source in (HELLO / "src").rglob("*.py"):
        text = source.read_text()
        assert not re.search(r"^\s*(from|import)\s+emporium\b(?!_sdk)", text, re.M), source
