"""The fitting room against a live platform: registered, listed with its block, installed from the
market over real HTTP (OAuth), its block on Mei's dress, running as a real server on its port."""

import re
import sys
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from emporium_fitting.config import Config
from emporium_fitting.web import build

from emporium.api.tests.conftest import _api_settings  # noqa: F401 - autouse
from emporium.live_apps import AppServer, install_over_http, list_app
from emporium.market import item_blocks, listings
from emporium.market.embedding import embed_url
from emporium.market.listings import BlockSpec
from emporium.market.models import Block

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # fitting_photos

SCOPES = ["shop:read", "items:read"]


class Fitting:
    def __init__(self, server, state, app, listing, platform_url, shop, item, placement):
        self.server, self.state, self.app, self.listing = server, state, app, listing
        self.platform_url, self.shop, self.item, self.placement = (
            platform_url,
            shop,
            item,
            placement,
        )

    def admin_pass(self, locale: str = "en") -> str:
        """Opened as the seller center opens it: the app's page with a fresh session token."""
        url = embed_url(self.listing, self.shop, self.shop.owner, self.platform_url, locale)
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200, page.text
        return re.search(r'data-pass="([^"]+)"', page.text).group(1)

    def context(self, language: str = "en", sku: int | None = None) -> str:
        """A block context as the item page fetches it for an anonymous buyer."""
        url = (f"{self.platform_url}/item/{self.item.public_id}/blocks/{self.placement.pk}"
               f"/context/")  # fmt: skip
        answer = httpx.get(url, params={"sku": sku} if sku else {}, timeout=30,
                           cookies={"django_language": language},
                           headers={"accept-language": language})  # fmt: skip
        assert answer.status_code == 200, answer.text
        return answer.json()["context"]

    def add_model(self, view_pass: str, photo: bytes, **fields) -> httpx.Response:
        data = {"pass": view_pass, "lang": "en", "target": f"item:{self.item.public_id}",
                "name": "Mia", "height_cm": "168", "weight_kg": "55", "shape": "slim",
                "size": "S"} | {k: str(v) for k, v in fields.items()}  # fmt: skip
        return httpx.post(f"{self.server.url}/app/models", data=data,
                          files={"photo": ("model.jpg", photo, "image/jpeg")}, timeout=60)  # fmt: skip


@pytest.fixture
def fitting(live_server, developer, shop, item, tmp_path, settings):
    """The fitting room listed (Free: 3 models per item; Unlimited), installed free on Mei's
    shop from the market, authorized over HTTP, its "Try it on" block on Mei's dress."""
    listed = list_app(
        developer, name="Fitting room", summary="Try it on.", category="buyer", scopes=SCOPES,
        topics=["app.uninstalled"],
        plans=[listings.PlanSpec(name="Free", kind="free"),
               listings.PlanSpec(name="Unlimited", kind="monthly", price_amount=Decimal("49.00"))],
        blocks=lambda url: [BlockSpec("Try it on", f"{url}/block", Block.Placement.BUY_BOX)],
    )  # fmt: skip
    app, listing = listed.app, listed.listing
    config = Config(platform_url=live_server.url, public_url=listed.url, client_id=app.client_id,
                    client_secret=listed.secret, webhook_secrets=listed.hook.secret,
                    data_dir=tmp_path / "fitting")  # fmt: skip
    web = build(config)
    server = AppServer(web, listed.port).start()
    install_over_http(live_server.url, listed.url, listing, shop, "Free")
    placement = item_blocks.turn_on(shop, listing.blocks.get().pk, all_items=False,
                                    add=[item.pk])  # fmt: skip
    yield Fitting(server, web.state.fitting, app, listing, live_server.url, shop, item, placement)
    server.stop()
