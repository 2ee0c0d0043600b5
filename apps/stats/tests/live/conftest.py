"""The stats app against a live platform: registered, listed, installed from the market over real
HTTP, running as a real server on its own port."""

import re
import socket
import threading
import time
from decimal import Decimal

import httpx
import pytest
import uvicorn
from emporium_stats.config import Config
from emporium_stats.web import build

from emporium.api.tests.conftest import _api_settings  # noqa: F401 - autouse
from emporium.conftest import PASSWORD
from emporium.ecosystem.registration import register_app, unsealed_secret
from emporium.events import dispatcher, endpoints
from emporium.market import installs, listings

SCOPES = ["analytics:read", "orders:read", "items:read", "shop:read"]
TOPICS = ["customer_events.collected", "order.created", "order.paid", "order.cancelled",
          "item.created", "item.updated", "item.deleted", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """uvicorn in a thread; `stop()` and `start()` again model the app going down and up."""

    def __init__(self, app, port: int):
        self.app, self.port, self.server = app, port, None

    def start(self) -> "Server":
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the stats app did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def log_in(base_url: str, username: str) -> httpx.Client:
    browser = httpx.Client(base_url=base_url, timeout=30, follow_redirects=True)
    page = browser.get("/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.post("/account/login/", data={"username": username, "password": PASSWORD,
                 "csrfmiddlewaretoken": token}, headers={"referer": f"{base_url}/account/login/"})  # fmt: skip
    return browser


@pytest.fixture
def stats(live_server, developer, shop, seller, tmp_path, settings, category_tree):
    """The stats app listed in the market, installed on Mei's shop from it, up and authorized."""
    settings.TRUSTED_PROXY_COUNT = 1
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app, secret = register_app(developer, name="Store statistics",
                               redirect_uris=[f"{url}/oauth/callback"], scopes=SCOPES)  # fmt: skip
    listing = listings.save_listing(
        app, name="Store statistics", summary_en="Visitors and conversion.",
        description_en="Store statistics.", category="analytics", scopes=SCOPES,
        install_url=f"{url}/install", app_url=f"{url}/app",
        plans=[listings.PlanSpec(name="Free", kind="free"),
               listings.PlanSpec(name="Mall", kind="monthly", price_amount=Decimal("99.00"),
                                 trial_days=14)],
        submit=True,
    )  # fmt: skip
    listings.approve(listing)
    hook = endpoints.subscribe(app, f"{url}/webhooks", TOPICS)
    config = Config(platform_url=live_server.url, public_url=url, client_id=app.client_id,
                    client_secret=secret, webhook_secrets=hook.secret, data_dir=tmp_path / "stats",
                    feed_interval=3600)  # fmt: skip
    web = build(config, catch_up=False)
    server = Server(web, port).start()
    assert unsealed_secret(app) == secret
    stats = Stats(server, web.state.stats, app, hook, listing, live_server.url)
    stats.install(shop, "Free")
    yield stats
    server.stop()


class Stats:
    def __init__(self, server, state, app, hook, listing, platform_url):
        self.server, self.state, self.app, self.hook, self.listing = (
            server,
            state,
            app,
            hook,
            listing,
        )
        self.platform_url = platform_url

    def install(self, shop, plan: str) -> None:
        """A market install with this plan, then the seller's browser through the app's OAuth."""
        installs.install(shop, self.listing, self.listing.plans.get(name=plan))
        browser = log_in(self.platform_url, shop.owner.username)
        try:
            landed = browser.get(f"{self.server.url}/install")
        finally:
            browser.close()
        assert landed.status_code == 200 and "/seller/market/installed/" in str(landed.url)

    def deliver(self) -> None:
        """What the worker does every minute and every fraction of a second."""
        from emporium.customer_events.batches import publish_batches

        publish_batches()
        dispatcher.run_once()


def money(text: str) -> Decimal:
    return Decimal(text)
