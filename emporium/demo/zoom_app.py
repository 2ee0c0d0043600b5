"""The demo's zoom viewer app: registered by Dana, listed free in the market with its gallery
block, installed in Mei's Closet (whose first items carry the 17-megapixel fabric close-ups).

The app is its own process (apps/zoom); this module does what the developer and the seller would
do by hand, and installs it the way a seller does (market install, then OAuth over HTTP).
"""

import httpx

from emporium.catalog.models import Item
from emporium.demo.listed_app import (
    AppCredentials,
    authorize_over_http,
    demo_app,
    install_from_market,
    register_listed_app,
    serve_command,
    wait_for,
)
from emporium.market import item_blocks, listings
from emporium.market.models import Block, Listing
from emporium.shops.models import Shop

APP_NAME = "Zoom viewer"
SCOPES = ["items:read", "shop:read"]
TOPICS = ["item.created", "item.updated", "item.deleted", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip
INSTALL_FOR = ["mei"]  # Mei's Closet: the shop with the close-ups
ZOOMABLE_WIDTH = 2000  # below it the viewer shows a picture plainly (apps/zoom)


def register_zoom_app(zoom_url: str) -> AppCredentials:
    """Dana's app, its approved free listing with the viewer block, its webhook endpoint; a
    re-run reuses them."""
    return register_listed_app(
        APP_NAME,
        prefix="ZOOM",
        app_url=zoom_url,
        scopes=SCOPES,
        topics=TOPICS,
        listing=dict(
            summary_en="Buyers drag and zoom your item pictures down to the weave of the fabric.",
            summary_zh="买家拖动、放大商品图片，一直看到面料的纹理。",
            description_en="Upload a high-resolution photo and buyers see what a 1200-pixel copy "
            "hides: the weave, the print, the small type of the wash label. A viewer beside the "
            "item's gallery with wheel and pinch zoom, keyboard, full screen and a navigator.",
            description_zh="上传高清照片，买家就能看到 1200 像素图片看不清的细节：织纹、印花、洗标上的"
            "小字。查看器位于商品图片旁，支持滚轮和双指缩放、键盘、全屏和导航缩略图。",
            category=Listing.Category.BUYER,
            install_url=f"{zoom_url}/install",
            app_url=f"{zoom_url}/app",
            plans=[listings.PlanSpec(name="Free", kind="free")],
            # The viewer is an item-page block beside the gallery, and it may go full screen.
            blocks=[
                listings.BlockSpec(
                    name="Zoom viewer",
                    url=f"{zoom_url}/block",
                    placement=Block.Placement.GALLERY,
                    fullscreen=True,
                )
            ],  # fmt: skip
        ),
    )


def market_installs() -> list[Shop]:
    """Install the app (free plan) from the market in Mei's Closet, unless it is there."""
    shops = install_from_market(APP_NAME, {username: "Free" for username in INSTALL_FOR})
    block = demo_app(APP_NAME).listing.blocks.get(name="Zoom viewer")
    for shop in shops:
        show_on_close_ups(shop, block)
    return shops


def show_on_close_ups(shop: Shop, block: Block) -> None:
    """The viewer goes on the items whose pictures are worth zooming into (the demo's close-ups)."""
    close_ups = Item.objects.filter(shop=shop, images__width__gte=ZOOMABLE_WIDTH).distinct()
    ids = list(close_ups.values_list("pk", flat=True))
    if ids:
        item_blocks.turn_on(shop, block.pk, all_items=False, add=ids)


def command(port: int) -> list[str]:
    return serve_command("emporium_zoom", port)


def connect(platform_url: str, zoom_url: str, stop, say) -> None:
    """Once both servers answer: authorize the app for Mei (it then tiles her pictures)."""
    if not (wait_for(f"{platform_url}/", stop) and wait_for(f"{zoom_url}/healthz", stop)):
        say("the zoom app did not start; the demo runs without it")
        return
    for username in INSTALL_FOR:
        try:
            authorize_over_http(platform_url, zoom_url, username, app="zoom")
        except (httpx.HTTPError, RuntimeError) as error:
            say(f"could not authorize the zoom app for {username}: {error}")
            return
    say("zoom app installed in Mei's Closet; it is tiling the fabric close-ups")
