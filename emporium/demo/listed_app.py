"""What every demo app needs from the platform before it runs: Dana registers it, lists it in the
market (approved), subscribes its webhook endpoint, and sellers install it from the market.

Each `emporium/demo/<name>_app.py` says what is its own (name, scopes, listing text, plans,
blocks); the steps, and the way a re-run reuses what a first run made, are here once.
"""

import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from threading import Event
from typing import Any

import httpx
from django.db import transaction

from emporium.ecosystem.models import App
from emporium.ecosystem.registration import check_scopes, register_app, unsealed_secret
from emporium.events import endpoints
from emporium.events.models import WebhookEndpoint
from emporium.market import installs, listings
from emporium.market.models import Listing
from emporium.members.models import Member
from emporium.samples.cast import DEMO_PASSWORD, DEVELOPER
from emporium.shops.models import Shop


@dataclass(frozen=True)
class AppCredentials:
    """What the app's process is started with: its client and its webhook secret."""

    prefix: str  # of the app's environment variables: STATS, DECOR, ...
    client_id: str
    client_secret: str
    webhook_secret: str

    def env(self, platform_url: str, app_url: str) -> dict[str, str]:
        return {
            f"{self.prefix}_PLATFORM_URL": platform_url,
            f"{self.prefix}_PUBLIC_URL": app_url,
            f"{self.prefix}_CLIENT_ID": self.client_id,
            f"{self.prefix}_CLIENT_SECRET": self.client_secret,
            f"{self.prefix}_WEBHOOK_SECRETS": self.webhook_secret,
        }


@transaction.atomic
def register_listed_app(
    name: str,
    *,
    prefix: str,
    app_url: str,
    scopes: list[str],
    topics: list[str],
    listing: Mapping[str, Any],
    redirect_uri: str = "",
    extra_scopes: Iterable[str] = (),
) -> AppCredentials:
    """Dana's app, its approved listing and its webhook endpoint; a re-run reuses them and adds
    what a newer version of the app asks for (scopes, topics).

    `listing` is what `listings.save_listing` takes besides the app, name and scopes;
    `extra_scopes` are registered but not listed (asked for at the buyer's or in the API).
    """
    dana = Member.objects.get(username=DEVELOPER.username)
    registered = check_scopes([*scopes, *extra_scopes])
    app = App.objects.filter(user=dana, name=name).first()
    if app is None or unsealed_secret(app) is None:
        if app is not None:
            app.delete()  # an app from before secrets were sealed: start afresh
        redirect = redirect_uri or f"{app_url}/oauth/callback"
        app, _ = register_app(dana, name=name, redirect_uris=[redirect], scopes=registered)
    elif not set(registered) <= set(app.scope_list):
        app.requested_scopes = " ".join(registered)
        app.save(update_fields=["requested_scopes"])
    listed = listings.save_listing(app, name=name, scopes=scopes, submit=True, **listing)
    if listed.status != Listing.Status.APPROVED:
        listings.approve(listed)
    hook = _subscribe(app, f"{app_url}/webhooks", topics)
    secret = unsealed_secret(app)
    if secret is None:  # registered just above, or checked to be sealed
        raise RuntimeError(f"the client secret of {name!r} cannot be unsealed")
    return AppCredentials(prefix, app.client_id, secret, hook.secret)


def _subscribe(app: App, url: str, topics: list[str]) -> WebhookEndpoint:
    hook = WebhookEndpoint.objects.filter(app=app, url=url).first()
    if hook is None:
        return endpoints.subscribe(app, url, topics)
    if "*" not in hook.topics and set(topics) - set(hook.topics):  # a topic added since
        hook.topics = sorted(set(hook.topics) | set(topics))
        hook.save(update_fields=["topics"])
    return hook


def demo_app(name: str) -> App:
    return App.objects.get(name=name, user__username=DEVELOPER.username)


def install_from_market(name: str, plans: Mapping[str, str]) -> list[Shop]:
    """Install the app from the market in each seller's shop on the plan named for them
    (skipping the shops that have it)."""
    listing = demo_app(name).listing
    shops = []
    for username, plan_name in plans.items():
        shop = Shop.objects.get(owner__username=username)
        shops.append(shop)
        if installs.active_installation(listing.app, shop) is None:
            installs.install(shop, listing, listing.plans.get(name=plan_name, retired=False))
    return shops


def serve_command(module: str, port: int) -> list[str]:
    """The app in its own process, as a third party would run it."""
    return [sys.executable, "-m", module, "serve", "--host", "127.0.0.1", "--port", str(port),
            "--quiet"]  # fmt: skip


def authorize_over_http(platform_url: str, app_url: str, username: str, app: str) -> None:
    """What the seller's browser does after a market install: log in, open the app's install
    URL, pass the (already consented) authorization, land back on the app's callback."""
    with httpx.Client(base_url=platform_url, follow_redirects=True, timeout=60) as browser:
        page = browser.get("/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        browser.post("/account/login/", data={
            "username": username, "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }, headers={"referer": f"{platform_url}/account/login/"})  # fmt: skip
        answer = browser.get(f"{app_url}/install")
        if answer.status_code >= 400:
            raise RuntimeError(
                f"installing the {app} app for {username} failed: {answer.status_code}"
            )


def wait_for(url: str, stop: Event, timeout: float = 120) -> bool:
    """Whether `url` answered (below 500) before `timeout` or `stop`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop.is_set():
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        stop.wait(0.5)
    return False


def open_embedded(name: str, username: str, platform_url: str) -> tuple[str, str]:
    """The app's page as the seller center opens it for `username`'s shop, and the view pass the
    app wrote into it (what the page then sends with each request)."""
    from emporium.market.embedding import embed_url

    shop = Shop.objects.get(owner__username=username)
    page = httpx.get(embed_url(demo_app(name).listing, shop, shop.owner, platform_url), timeout=60)
    found = re.search(r'data-pass="([^"]+)"', page.text)
    if not found:
        raise RuntimeError(f"{name} did not open for {username}")
    return page.text, found.group(1)
