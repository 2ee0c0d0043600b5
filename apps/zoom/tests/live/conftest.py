"""The zoom app against a live platform: registered, listed (with its item-page block), installed
from the market over real HTTP, running as a real server with its tiling worker on its own port."""

import io
import time
import uuid

import jwt
import pytest
from emporium_zoom.config import Config
from emporium_zoom.web import build

from emporium.api.tests.conftest import _api_settings  # noqa: F401 - autouse
from emporium.ecosystem.registration import unsealed_secret
from emporium.events import dispatcher
from emporium.live_apps import AppServer, install_over_http, list_app
from emporium.market import listings

SCOPES = ["items:read", "shop:read"]
TOPICS = ["item.created", "item.updated", "item.deleted", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip


@pytest.fixture(scope="session")
def close_up_jpeg() -> bytes:
    """The demo's first fabric close-up (4800 × 3600), as a seller would upload it."""
    from emporium.samples.closeups import CLOSE_UPS, draw_close_up

    out = io.BytesIO()
    draw_close_up(CLOSE_UPS[0]).save(out, "JPEG", quality=92, subsampling=0)
    return out.getvalue()


class Zoom:
    def __init__(self, server, state, app, secret, listing, platform_url):
        self.server, self.state, self.app, self.secret = server, state, app, secret
        self.listing, self.platform_url = listing, platform_url

    def install(self, shop) -> None:
        install_over_http(self.platform_url, self.server.url, self.listing, shop, "Free")

    def deliver(self) -> None:
        dispatcher.run_once()

    def settle(self, timeout: float = 90) -> None:
        """Wait until the worker has tiled (or refused) everything queued."""
        deadline = time.monotonic() + timeout
        while self.state.store.rows("SELECT 1 FROM pyramids WHERE state IN ('queued', 'tiling')"):
            assert time.monotonic() < deadline, "tiling did not finish"
            time.sleep(0.2)

    def block_context(self, shop, item, *, locale="en", lifetime=300, secret=None, **extra) -> str:
        """What the platform's item page gives the block (the `blocks` branch's format)."""
        now = int(time.time())
        claims = {"iss": self.platform_url, "aud": f"{self.app.client_id}/block", "typ": "block",
                  "shop": str(shop.public_id), "item": str(item.public_id), "sku": None,
                  "locale": locale, "placement": "gallery", "iat": now, "nbf": now,
                  "exp": now + lifetime, "jti": uuid.uuid4().hex, **extra}  # fmt: skip
        return jwt.encode(claims, secret or self.secret, algorithm="HS256")


@pytest.fixture
def zoom(live_server, developer, shop, seller, tmp_path, settings, category_tree):
    """The zoom app listed in the market with its gallery block; not yet installed."""
    settings.SITE_URL = live_server.url  # original URLs the app can fetch
    listed = list_app(
        developer, name="Zoom viewer", summary="Zoom into item pictures.", description="Deep zoom.",
        category="buyer", scopes=SCOPES, topics=TOPICS,
        plans=[listings.PlanSpec(name="Free", kind="free")],
        blocks=lambda url: [listings.BlockSpec(name="Zoom viewer", url=f"{url}/block",
                                               placement="gallery", fullscreen=True)],
    )  # fmt: skip
    app, secret, listing = listed.app, listed.secret, listed.listing
    config = Config(platform_url=live_server.url, public_url=listed.url, client_id=app.client_id,
                    client_secret=secret, webhook_secrets=listed.hook.secret,
                    data_dir=tmp_path / "zoom", feed_interval=3600, min_zoom_side=2000)  # fmt: skip
    web = build(config)
    server = AppServer(web, listed.port).start()
    assert unsealed_secret(app) == secret
    yield Zoom(server, web.state.zoom, app, secret, listing, live_server.url)
    server.stop()
