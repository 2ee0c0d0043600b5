"""The demo's store-statistics app: registered by Dana, listed in the market, installed in shops.

The app itself is a separate process (apps/stats); this module does the platform's side — what a
developer and sellers would do by hand — and then installs it the way a seller does: a market
install with a plan, and the OAuth authorization driven over HTTP against both servers.
"""

from collections.abc import Callable
from decimal import Decimal

import httpx

from emporium.demo.listed_app import (
    AppCredentials,
    authorize_over_http,
    install_from_market,
    open_embedded,
    register_listed_app,
    serve_command,
    wait_for,
)
from emporium.market import listings
from emporium.market.models import Listing
from emporium.shops.models import Shop

APP_NAME = "Store statistics"
SCOPES = ["analytics:read", "orders:read", "items:read", "shop:read"]
TOPICS = ["customer_events.collected", "order.created", "order.paid", "order.cancelled",
          "order.completed", "order.settled", "item.created", "item.updated", "item.deleted",
          "app.uninstalled", "app.erasure_requested"]  # fmt: skip
# The sellers whose shops get the app: Mei on the Mall plan (the brand edition), the others free.
INSTALL_FOR = {"mei": "Mall", "otto": "Free", "noah": "Mall"}
VISITS_PER_DAY = 300  # of seeded storefront traffic, at the demo's full scale


def register_stats_app(stats_url: str) -> AppCredentials:
    """Dana's app, its approved listing and its webhook endpoint; a re-run reuses them."""
    return register_listed_app(
        APP_NAME,
        prefix="STATS",
        app_url=stats_url,
        scopes=SCOPES,
        extra_scopes=["catalog:read"],
        topics=TOPICS,
        listing=dict(
            summary_en="Page views, visitors, regions, sources and conversion of your shop.",
            summary_zh="店铺的浏览量、访客、地域、来源和转化率。",
            description_en="Which items are viewed and which are ignored, where visitors come "
            "from, how long they stay and who is on the site right now. The Mall plan adds brand "
            "accounts spanning several shops.",
            description_zh="哪些商品被浏览、哪些无人问津，访客从哪里来、停留多久，现在谁在店里。"
            "商城版支持跨多个店铺的品牌账户。",
            category=Listing.Category.ANALYTICS,
            install_url=f"{stats_url}/install",
            app_url=f"{stats_url}/app",
            plans=[
                listings.PlanSpec(name="Free", kind="free"),
                listings.PlanSpec(
                    name="Mall", kind="monthly", price_amount=Decimal("99.00"), trial_days=14
                ),  # fmt: skip
            ],
        ),
    )


def market_installs() -> list[Shop]:
    """Install the app from the market in the demo shops (skipping those that have it)."""
    return install_from_market(APP_NAME, INSTALL_FOR)


def command(port: int) -> list[str]:
    return serve_command("emporium_stats", port)


def make_brand(platform_url: str, stats_url: str) -> None:
    """The Mall plan's brand account: Mei creates one in the app, Noah's shop joins it — the
    app's own pages, opened as the seller center would open them."""

    def view_pass(username: str) -> str:
        return open_embedded(APP_NAME, username, platform_url)[1]

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


def connect_and_drive(platform_url: str, stats_url: str, shops: list[Shop], stop, say) -> None:
    """Once both servers answer: authorize the app for each demo seller, then keep live
    visitors coming so the real-time view moves."""
    from django.db import close_old_connections

    from emporium.demo.traffic import drive_live

    if not (wait_for(f"{platform_url}/", stop) and wait_for(f"{stats_url}/healthz", stop)):
        say("the stats app did not start; the demo runs without it")
        return
    for username in INSTALL_FOR:
        try:
            authorize_over_http(platform_url, stats_url, username, app="stats")
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
