"""The demo's store-statistics app: registered by Dana, listed in the market, installed in shops.

The app itself is a separate process (apps/stats); this module does the platform's side — what a
developer and sellers would do by hand — and then installs it the way a seller does: a market
install with a plan, and the OAuth authorization driven over HTTP against both servers.
"""

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import httpx
from django.db import transaction

from emporium.ecosystem.models import App
from emporium.ecosystem.registration import register_app, unsealed_secret
from emporium.events import endpoints
from emporium.events.models import WebhookEndpoint
from emporium.market import installs, listings
from emporium.market.models import Listing
from emporium.members.models import Member
from emporium.samples.cast import DEMO_PASSWORD, DEVELOPER
from emporium.shops.models import Shop

APP_NAME = "Store statistics"
SCOPES = ["analytics:read", "orders:read", "items:read", "shop:read"]
TOPICS = ["customer_events.collected", "order.created", "order.paid", "order.cancelled",
          "order.completed", "order.settled", "item.created", "item.updated", "item.deleted",
          "app.uninstalled", "app.erasure_requested"]  # fmt: skip
# The sellers whose shops get the app: Mei on the Mall plan (the brand edition), the others free.
INSTALL_FOR = {"mei": "Mall", "otto": "Free", "noah": "Mall"}
VISITS_PER_DAY = 300  # of seeded storefront traffic, at the demo's full scale


@dataclass(frozen=True)
class StatsCredentials:
    client_id: str
    client_secret: str
    webhook_secret: str

    def env(self, platform_url: str, stats_url: str) -> dict[str, str]:
        return {
            "STATS_PLATFORM_URL": platform_url,
            "STATS_PUBLIC_URL": stats_url,
            "STATS_CLIENT_ID": self.client_id,
            "STATS_CLIENT_SECRET": self.client_secret,
            "STATS_WEBHOOK_SECRETS": self.webhook_secret,
        }


@transaction.atomic
def register_stats_app(stats_url: str) -> StatsCredentials:
    """Dana's app, its approved listing and its webhook endpoint; a re-run reuses them."""
    dana = Member.objects.get(username=DEVELOPER.username)
    app = App.objects.filter(user=dana, name=APP_NAME).first()
    if app is None or unsealed_secret(app) is None:
        if app is not None:
            app.delete()  # an app from before secrets were sealed: start afresh
        app, _ = register_app(dana, name=APP_NAME, redirect_uris=[f"{stats_url}/oauth/callback"],
                              scopes=SCOPES + ["catalog:read"])  # fmt: skip
    listing = listings.save_listing(
        app,
        name=APP_NAME,
        summary_en="Page views, visitors, regions, sources and conversion of your shop.",
        summary_zh="店铺的浏览量、访客、地域、来源和转化率。",
        description_en="Which items are viewed and which are ignored, where visitors come from, "
        "how long they stay and who is on the site right now. The Mall plan adds brand "
        "accounts spanning several shops.",
        description_zh="哪些商品被浏览、哪些无人问津，访客从哪里来、停留多久，现在谁在店里。"
        "商城版支持跨多个店铺的品牌账户。",
        category=Listing.Category.ANALYTICS,
        scopes=SCOPES,
        install_url=f"{stats_url}/install",
        app_url=f"{stats_url}/app",
        plans=[
            listings.PlanSpec(name="Free", kind="free"),
            listings.PlanSpec(
                name="Mall", kind="monthly", price_amount=Decimal("99.00"), trial_days=14
            ),  # fmt: skip
        ],
        submit=True,
    )
    if listing.status != Listing.Status.APPROVED:
        listings.approve(listing)
    hook = WebhookEndpoint.objects.filter(app=app, url=f"{stats_url}/webhooks").first()
    if hook is None:
        hook = endpoints.subscribe(app, f"{stats_url}/webhooks", TOPICS)
    secret = unsealed_secret(app)
    if secret is None:  # registered just above, or checked to be sealed
        raise RuntimeError("the stats app's client secret cannot be unsealed")
    return StatsCredentials(app.client_id, secret, hook.secret)


def market_installs() -> list[Shop]:
    """Install the app from the market in the demo shops (skipping those that have it)."""
    app = App.objects.get(name=APP_NAME, user__username=DEVELOPER.username)
    listing = app.listing
    shops = []
    for username, plan_name in INSTALL_FOR.items():
        shop = Shop.objects.get(owner__username=username)
        shops.append(shop)
        if installs.active_installation(app, shop) is None:
            installs.install(shop, listing, listing.plans.get(name=plan_name, retired=False))
    return shops


def authorize_over_http(platform_url: str, stats_url: str, username: str) -> None:
    """What the seller's browser does after a market install: log in, open the app's install
    URL, pass the (already consented) authorization, land back on the app's callback."""
    with httpx.Client(base_url=platform_url, follow_redirects=True, timeout=60) as browser:
        page = browser.get("/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        browser.post("/account/login/", data={
            "username": username, "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }, headers={"referer": f"{platform_url}/account/login/"})  # fmt: skip
        answer = browser.get(f"{stats_url}/install")
        if answer.status_code >= 400:
            raise RuntimeError(
                f"installing the stats app for {username} failed: {answer.status_code}"
            )


def make_brand(platform_url: str, stats_url: str) -> None:
    """The Mall plan's brand account: Mei creates one in the app, Noah's shop joins it — the
    app's own pages, opened as the seller center would open them."""
    import re

    app = App.objects.get(name=APP_NAME, user__username=DEVELOPER.username)
    from emporium.market.embedding import embed_url

    def view_pass(username: str) -> str:
        shop = Shop.objects.get(owner__username=username)
        page = httpx.get(embed_url(app.listing, shop, shop.owner, platform_url), timeout=30)
        found = re.search(r'data-pass="([^"]+)"', page.text)
        if not found:
            raise RuntimeError(f"the stats app did not open for {username}")
        return found.group(1)

    mall = [name for name, plan in INSTALL_FOR.items() if plan == "Mall"]
    owner_pass = view_pass(mall[0])
    # Creating is a no-op for a shop that has a brand: a re-run finds the same code.
    made = httpx.post(f"{stats_url}/brand", data={"pass": owner_pass, "name": "Mei & Noah"},
                      timeout=30)  # fmt: skip
    code = made.json()["code"]
    for username in mall[1:]:
        httpx.post(
            f"{stats_url}/brand", data={"pass": view_pass(username), "code": code}, timeout=30
        )


def seed_history(
    shops: list[Shop], progress: Callable[[str], None], visits_per_day: int = VISITS_PER_DAY
) -> int:
    """A week of storefront traffic for the demo shops, once (a re-run finds it there)."""
    from emporium.customer_events.models import CustomerEvent
    from emporium.demo.traffic import seed_traffic

    if CustomerEvent.objects.filter(shop__in=shops).exists():
        return 0
    progress("recording a week of demo storefront traffic through the collector")
    return seed_traffic(shops, visits_per_day=visits_per_day, progress=progress)


def command(port: int) -> list[str]:
    """The stats app in its own process, as a third party would run it."""
    return [sys.executable, "-m", "emporium_stats", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--quiet"]  # fmt: skip


def _wait_for(url: str, stop, timeout: float = 120) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stop.is_set():
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        stop.wait(0.5)
    return False


def connect_and_drive(platform_url: str, stats_url: str, shops: list[Shop], stop, say) -> None:
    """Once both servers answer: authorize the app for each demo seller, then keep live
    visitors coming so the real-time view moves."""
    from django.db import close_old_connections

    from emporium.demo.traffic import drive_live

    if not (_wait_for(f"{platform_url}/", stop) and _wait_for(f"{stats_url}/healthz", stop)):
        say("the stats app did not start; the demo runs without it")
        return
    for username in INSTALL_FOR:
        try:
            authorize_over_http(platform_url, stats_url, username)
        except (httpx.HTTPError, RuntimeError) as error:
            say(f"could not authorize the stats app for {username}: {error}")
    try:
        make_brand(platform_url, stats_url)
    except (httpx.HTTPError, RuntimeError) as error:
        say(f"could not set up the demo brand in the stats app: {error}")
    if stop.is_set():  # the demo is stopping; its servers are going away
        return
    say(f"stats app installed in {len(INSTALL_FOR)} shops; live demo visitors are arriving")
    close_old_connections()
    drive_live(platform_url, shops, stop=stop)
