"""Reference apps in tests: an app's web process beside the live platform, listed and installed over HTTP.

Every app's live tests do the same three things a developer and a seller would: register and list
the app in the market, run it as a real server on its own port, and install it on a shop through the
market and the app's OAuth. They live here once; each app's conftest says only what is its own."""

import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
import uvicorn

from emporium.ecosystem.models import App
from emporium.ecosystem.registration import register_app
from emporium.events import endpoints
from emporium.events.models import WebhookEndpoint
from emporium.fixtures import PASSWORD
from emporium.market import installs, listings
from emporium.market.models import Listing
from emporium.members.models import Member
from emporium.shops.models import Shop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """uvicorn in a thread of the test process; `stop()` then `start()` is the app going down and up."""

    def __init__(self, app, port: int, access_log: bool = False):
        self.app, self.port, self.access_log = app, port, access_log

    def start(self) -> "AppServer":
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=self.access_log)  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30  # a model-loading app takes its time
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the app on port {self.port} did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def log_in(base_url: str, username: str) -> httpx.Client:
    """A browser-like client signed in to the platform, cookies and all."""
    browser = httpx.Client(base_url=base_url, timeout=30, follow_redirects=True)
    page = browser.get("/account/login/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, "the log-in page has no CSRF token"
    token = found.group(1)
    browser.post("/account/login/", data={"username": username, "password": PASSWORD,
                 "csrfmiddlewaretoken": token}, headers={"referer": f"{base_url}/account/login/"})  # fmt: skip
    return browser


@dataclass
class ListedApp:
    """An app registered, listed, approved and subscribed to its topics, before it runs."""

    port: int
    app: App
    secret: str
    hook: WebhookEndpoint
    listing: Listing

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def list_app(
    developer: Member,
    *,
    name: str,
    scopes: Sequence[str],
    topics: Sequence[str],
    category: str,
    plans: Sequence[listings.PlanSpec],
    summary: str = "",
    description: str = "",
    blocks: Callable[[str], Sequence[listings.BlockSpec]] = lambda url: (),
    buyer_scopes: Sequence[str] = (),
) -> ListedApp:
    """What a developer does before the first shop sees the app; its port is chosen here.

    `blocks` makes the app's item-page or shop blocks from its address, known only once the port is.
    `buyer_scopes` are registered beside the shop scopes but never asked at an install (a buyer
    authorizes them on their own)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app, secret = register_app(developer, name=name, redirect_uris=[f"{url}/oauth/callback"],
                               scopes=[*scopes, *buyer_scopes])  # fmt: skip
    listing = listings.save_listing(
        app, name=name, summary_en=summary or name, description_en=description or name,
        category=category, scopes=list(scopes), install_url=f"{url}/install",
        app_url=f"{url}/app", plans=list(plans), blocks=blocks(url), submit=True,
    )  # fmt: skip
    listings.approve(listing)
    hook = endpoints.subscribe(app, f"{url}/webhooks", list(topics))
    return ListedApp(port, app, secret, hook, listing)


def install_over_http(
    platform_url: str, app_url: str, listing: Listing, shop: Shop, plan: str
) -> None:
    """A market install with this plan, then the seller's browser through the app's OAuth."""
    installs.install(shop, listing, listing.plans.get(name=plan))
    browser = log_in(platform_url, shop.owner.username)
    try:
        landed = browser.get(f"{app_url}/install")
    finally:
        browser.close()
    assert landed.status_code == 200 and "/seller/market/installed/" in str(landed.url)
