"""The demo's decoration app: registered by Dana, listed with plans, installed in shops, and used.

The app itself is a separate process (apps/decor). This module does what a developer and the
sellers would do by hand: register and list it, install it from the market, authorize it over
HTTP, then — as Mei in the embedded app — fill a template and publish it, so the demo's shop
page is decorated from the start.
"""

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
from emporium.ecosystem.models import App
from emporium.market import listings
from emporium.market.models import Listing
from emporium.shops.models import Shop

APP_NAME = "Decoration & albums"
SCOPES = ["shop:read", "items:read", "items:write", "design:read", "design:write",
          "pictures:read", "pictures:write"]  # fmt: skip
TOPICS = ["item.created", "item.updated", "item.deleted", "shop.design_published",
          "app.uninstalled", "app.erasure_requested"]  # fmt: skip
# Mei on the Pro plan (every template) with a decorated shop; Otto on the free plan.
INSTALL_FOR = {"mei": "Pro", "otto": "Free"}
DECORATE = {"mei": "big_sale"}


def register_decor_app(decor_url: str) -> AppCredentials:
    """Dana's app, its approved listing with plans and its webhook endpoint; a re-run reuses them."""
    credentials = register_listed_app(
        APP_NAME,
        prefix="DECOR",
        app_url=decor_url,
        scopes=SCOPES,
        topics=TOPICS,
        listing=dict(
            summary_en="An album of every picture, shop templates that fill themselves, size "
            "charts on many items at once.",
            summary_zh="图片空间集中管理所有图片，店铺模板自动填充商品，尺码表一键应用到多个商品。",
            description_en="Import every item picture into one album, upload many at once, find "
            "duplicates. Pick a home-page template for a sale or a new season: it fills itself "
            "with your best sellers and newest items; preview at phone and desktop width, publish "
            "now or at a time, roll back. Put a size chart and care notes on a whole category in "
            "one go, with a dry run first and undo. The free plan has 3 templates, Pro has all "
            "of them.",
            description_zh="导入所有商品图片到图片空间，批量上传，查找重复图片。为大促或新品选择首页"
            "模板，自动用热销和新品填充；在手机和电脑宽度下预览，立即或定时发布，可回滚。把尺码表和"
            "洗护说明一次应用到整个类目，先试运行，可撤销。免费版含 3 个模板，专业版含全部模板。",
            category=Listing.Category.DESIGN,
            install_url=f"{decor_url}/install",
            app_url=f"{decor_url}/app",
            plans=[
                listings.PlanSpec(name="Free", kind="free"),
                listings.PlanSpec(
                    name="Pro", kind="monthly", price_amount=Decimal("29.00"), trial_days=14
                ),  # fmt: skip
            ],
        ),
    )
    # Bulk description applies call the API twice per item: the standard tier (600 calls a
    # minute) lets a demo category of items change in seconds rather than minutes.
    App.objects.filter(client_id=credentials.client_id).update(tier=App.Tier.STANDARD)
    return credentials


def market_installs() -> list[Shop]:
    """Install the app from the market in the demo shops (skipping those that have it)."""
    return install_from_market(APP_NAME, INSTALL_FOR)


def decorate(platform_url: str, decor_url: str, username: str, template: str) -> int | None:
    """As the seller in the embedded app: fill `template` from the shop and publish it, unless
    the shop already has a live design (a re-run leaves the seller's own work alone)."""
    from emporium.design.models import ShopDesign

    shop = Shop.objects.get(owner__username=username)
    if ShopDesign.objects.filter(shop=shop, live__isnull=False).exists():
        return None
    view_pass = open_embedded(APP_NAME, username, platform_url)[1]
    with httpx.Client(base_url=decor_url, headers={"x-view-pass": view_pass},
                      timeout=120) as page:  # fmt: skip
        page.post("/api/templates/fill", json={"template": template}).raise_for_status()
        made = page.post("/api/design/publish", json={"key": f"demo-{username}-{template}"})
        made.raise_for_status()
    return int(made.json()["number"])


def command(port: int) -> list[str]:
    return serve_command("emporium_decor", port)


def connect(platform_url: str, decor_url: str, stop, say) -> None:
    """Once both servers answer: authorize the app for each demo seller, then decorate."""
    if not (wait_for(f"{platform_url}/", stop) and wait_for(f"{decor_url}/healthz", stop)):
        say("the decoration app did not start; the demo runs without it")
        return
    for username in INSTALL_FOR:
        try:
            authorize_over_http(platform_url, decor_url, username, app="decoration")
        except (httpx.HTTPError, RuntimeError) as error:
            say(f"could not authorize the decoration app for {username}: {error}")
    for username, template in DECORATE.items():
        try:
            decorate(platform_url, decor_url, username, template)
        except (httpx.HTTPError, RuntimeError) as error:
            say(f"could not decorate {username}'s shop: {error}")
    say(f"decoration app installed in {len(INSTALL_FOR)} shops; Mei's shop page is decorated")
