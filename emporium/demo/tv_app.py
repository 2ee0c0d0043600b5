"""The demo's TV mall: registered by Dana with buyer scopes, listed in the market as a buyer app,
subscribed to the buyer-side order events, and run as its own process.

A demo visitor opens it in a second browser tab (sized like a TV), browses with the arrow keys,
and signs in as a demo buyer by the device flow: the code on the TV, approved on /device/.
"""

from emporium.demo.listed_app import AppCredentials, register_listed_app, serve_command
from emporium.market import listings
from emporium.market.models import Listing

APP_NAME = "TV mall"
SCOPES = ["buyer:profile", "buyer:addresses", "buyer:orders:read", "buyer:orders:write",
          "buyer:pay", "catalog:read"]  # fmt: skip
TOPICS = ["order.paid", "order.shipped", "order.completed", "order.cancelled"]


def register_tv_app(tv_url: str) -> AppCredentials:
    """Dana's TV app, its approved buyer-app listing and its webhook endpoint; a re-run reuses them."""
    return register_listed_app(
        APP_NAME,
        prefix="TV",
        app_url=tv_url,
        redirect_uri=f"{tv_url}/",
        scopes=SCOPES,
        topics=TOPICS,
        listing=dict(
            summary_en="Browse hot goods on your TV with the remote, and order from the sofa.",
            summary_zh="用遥控器在电视上浏览热卖商品，坐在沙发上下单。",
            description_en="Rows of hot goods, deals and categories sized for the living room. "
            "Sign in by scanning a code with your phone; every payment is confirmed on your "
            "phone, or within the daily limit you set for the app.",
            description_zh="为客厅设计的热卖、优惠和分类。用手机扫码登录；每笔付款都在手机上确认，"
            "或在你为应用设定的每日限额之内。",
            category=Listing.Category.BUYER,
            app_url=f"{tv_url}/",
            # The market asks every listing for a plan; a buyer's authorization never goes
            # through it (docs/decisions.md, "Buyer apps"), so the one plan is free.
            plans=[listings.PlanSpec(name="Free", kind="free")],
        ),
    )


def command(port: int) -> list[str]:
    return serve_command("emporium_tv", port)
