"""The TV app against a live platform: registered with buyer scopes, subscribed to order events,
running as a real server on its own port, with a hot item (sold in a paid order) to browse."""

import pytest
from emporium_tv.config import Config
from emporium_tv.mall import SCOPES
from emporium_tv.web import build

from emporium.ecosystem.registration import register_app
from emporium.events import endpoints
from emporium.live_apps import AppServer, free_port
from emporium.trade import orders

TOPICS = ["order.paid", "order.shipped", "order.completed", "order.cancelled"]


@pytest.fixture(autouse=True)
def _call_log_discarded():
    """The API's call log is flushed by tests that ask; none is left for after the database."""
    from emporium.api import calllog

    calllog.discard()
    yield
    calllog.discard()


@pytest.fixture
def hot_item(item, make_member_with_wallet, address_for):
    """Mei's dress, sold once in a paid order so that it is hot."""
    someone = make_member_with_wallet("carol")
    (order,) = orders.checkout(someone, address_for(someone), [(item.skus.first(), 1)])
    orders.pay(someone, [order])
    return item


@pytest.fixture
def attract_seconds() -> int:
    """Long enough that attract mode never interrupts a test that is not about it."""
    return 600


@pytest.fixture
def tv(live_server, developer, tmp_path, settings, hot_item, attract_seconds):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "DEVICE_FLOW_INTERVAL": 1}
    settings.REDIS_URL = ""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app, secret = register_app(developer, name="TV mall", redirect_uris=[f"{url}/callback"],
                               scopes=SCOPES)  # fmt: skip
    hook = endpoints.subscribe(app, f"{url}/webhooks", TOPICS)
    config = Config(platform_url=live_server.url, public_url=url, client_id=app.client_id,
                    client_secret=secret, webhook_secrets=hook.secret,
                    data_dir=tmp_path / "tv", attract_seconds=attract_seconds)  # fmt: skip
    web = build(config)
    server = AppServer(web, port).start()
    server.mall = web.state.mall
    server.app = app
    yield server
    server.stop()
