"""The decoration app against a live platform: registered, listed with plans, installed from the
market over real HTTP (OAuth), running as a real server on its own port."""

from decimal import Decimal

import httpx
import pytest
from decor_photos import as_jpeg
from django.core.files.uploadedfile import SimpleUploadedFile
from emporium_decor.config import Config
from emporium_decor.web import PURPOSE, SCOPES, TOPICS, build
from emporium_sdk.viewpass import issue_pass

from emporium.api.tests.conftest import _api_settings  # noqa: F401 - autouse
from emporium.catalog.services.pictures import add_image
from emporium.events import dispatcher
from emporium.live_apps import AppServer, install_over_http, list_app
from emporium.market import listings


class Decor:
    """The running app and a way to call it as its embedded page does."""

    def __init__(self, server, state, listing, platform_url):
        self.server, self.state, self.listing, self.platform_url = (
            server,
            state,
            listing,
            platform_url,
        )

    def install(self, shop, plan: str) -> None:
        install_over_http(self.platform_url, self.server.url, self.listing, shop, plan)

    def page(self, shop) -> httpx.Client:
        """An HTTP client carrying the shop's view pass, as the embedded page's fetches do."""
        view_pass = issue_pass(
            str(shop.public_id), self.state.config.client_secret, purpose=PURPOSE
        )
        return httpx.Client(
            base_url=self.server.url, headers={"x-view-pass": view_pass}, timeout=120
        )

    def deliver(self) -> None:
        dispatcher.run_once()


@pytest.fixture
def listed(live_server, developer, settings):
    settings.SITE_URL = live_server.url  # picture and page addresses the app can fetch
    return list_app(
        developer, name="Decoration & albums", summary="Albums and shop templates.",
        description="Decorate your shop without code.", category="design", scopes=SCOPES,
        topics=TOPICS,
        plans=[listings.PlanSpec(name="Free", kind="free"),
               listings.PlanSpec(name="Pro", kind="monthly", price_amount=Decimal("29.00"),
                                 trial_days=14)],
    )  # fmt: skip


@pytest.fixture
def start_decor(live_server, listed, tmp_path):
    running = []

    def start(**config) -> Decor:
        settings = dict(platform_url=live_server.url, public_url=listed.url,
                        client_id=listed.app.client_id, client_secret=listed.secret,
                        webhook_secrets=listed.hook.secret, data_dir=tmp_path / "decor")  # fmt: skip
        web = build(Config(**{**settings, **config}))
        server = AppServer(web, listed.port).start()
        running.append(server)
        return Decor(server, web.state.decor, listed.listing, live_server.url)

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def pictured_items(shop, make_item, category_tree):
    """Three of Mei's items, each with a real photograph (and the dress with two)."""
    made = []
    for n, (title, photo) in enumerate([("Linen summer dress", "chelsea.png"),
                                        ("Silk scarf", "coffee.png"),
                                        ("Rocket print tee", "rocket.jpg")]):  # fmt: skip
        item = make_item(shop, title=title, price=f"{99 + n * 50}.00")
        add_image(item, SimpleUploadedFile(f"{n}.jpg", as_jpeg(photo), content_type="image/jpeg"))
        made.append(item)
    add_image(
        made[0], SimpleUploadedFile("x.jpg", as_jpeg("astronaut.png"), content_type="image/jpeg")
    )
    return made


@pytest.fixture
def decor(start_decor, shop, pictured_items):
    """The app up and installed on Mei's shop on the Pro plan (every template)."""
    running = start_decor()
    running.install(shop, "Pro")
    return running
