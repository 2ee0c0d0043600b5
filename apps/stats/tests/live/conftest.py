"""The stats app against a live platform: registered, listed, installed from the market over real
HTTP, running as a real server on its own port."""

from decimal import Decimal

import pytest
from emporium_stats.config import Config
from emporium_stats.web import build

from emporium.api.tests.conftest import _api_settings  # noqa: F401 - autouse
from emporium.ecosystem.registration import unsealed_secret
from emporium.events import dispatcher
from emporium.live_apps import AppServer, install_over_http, list_app
from emporium.market import listings

SCOPES = ["analytics:read", "orders:read", "items:read", "shop:read"]
TOPICS = ["customer_events.collected", "order.created", "order.paid", "order.cancelled",
          "item.created", "item.updated", "item.deleted", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip


@pytest.fixture
def stats(live_server, developer, shop, seller, tmp_path, settings, category_tree):
    """The stats app listed in the market, installed on Mei's shop from it, up and authorized."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    listed = list_app(
        developer, name="Store statistics", summary="Visitors and conversion.",
        description="Store statistics.", category="analytics", scopes=SCOPES, topics=TOPICS,
        plans=[listings.PlanSpec(name="Free", kind="free"),
               listings.PlanSpec(name="Mall", kind="monthly", price_amount=Decimal("99.00"),
                                 trial_days=14)],
    )  # fmt: skip
    app, secret, hook, listing = listed.app, listed.secret, listed.hook, listed.listing
    config = Config(platform_url=live_server.url, public_url=listed.url, client_id=app.client_id,
                    client_secret=secret, webhook_secrets=hook.secret, data_dir=tmp_path / "stats",
                    feed_interval=3600)  # fmt: skip
    web = build(config, catch_up=False)
    server = AppServer(web, listed.port).start()
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
        install_over_http(self.platform_url, self.server.url, self.listing, shop, plan)

    def deliver(self) -> None:
        """What the worker does every minute and every fraction of a second."""
        from emporium.customer_events.batches import publish_batches

        publish_batches()
        dispatcher.run_once()


def money(text: str) -> Decimal:
    return Decimal(text)
