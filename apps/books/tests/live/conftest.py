"""The books app against a live platform: registered, listed, installed from the market over real
HTTP (OAuth), running as a real server on its own port."""

import pytest
from emporium_books.config import Config
from emporium_books.purchases import BUYER_SCOPES
from emporium_books.web import SCOPES, TOPICS, build

from emporium.api.tests.conftest import _api_settings, order_in  # noqa: F401 - fixtures
from emporium.live_apps import AppServer, install_over_http, list_app
from emporium.market import listings


@pytest.fixture
def books_feed_seconds() -> float:
    """How often the app's own catch-up runs in a test: at start, then not within the test
    (a test of the schedule says a shorter interval)."""
    return 3600


@pytest.fixture
def books_app(books_server):
    """The app up and installed on Mei's shop (free plan) over OAuth; its webhooks subscribed."""
    return books_server.app.state.books


@pytest.fixture
def books_server(live_server, developer, shop, tmp_path, books_feed_seconds, monkeypatch):
    """The app's server (`stop()` then `start()`: the app going down and up), installed."""
    monkeypatch.setenv("BOOKS_FEED_SECONDS", str(books_feed_seconds))
    listed = list_app(
        developer, name="Books", summary="Books that keep themselves.",
        description="Sales, fees and withdrawals booked for you.", category="finance",
        scopes=SCOPES, buyer_scopes=BUYER_SCOPES, topics=TOPICS,
        plans=[listings.PlanSpec(name="Free", kind="free")],
    )  # fmt: skip
    web = build(Config(platform_url=live_server.url, public_url=listed.url,
                       client_id=listed.app.client_id, client_secret=listed.secret,
                       webhook_secrets=listed.hook.secret, data_dir=tmp_path / "books"))  # fmt: skip
    server = AppServer(web, listed.port).start()
    install_over_http(live_server.url, listed.url, listed.listing, shop, "Free")
    yield server
    server.stop()
