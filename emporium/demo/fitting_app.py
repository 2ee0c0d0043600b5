"""The demo's fitting room: registered by Dana, listed with its "Try it on" block, installed in
Mei's Closet, its block on some dresses, and models of several builds added for them.

The app is its own process (apps/fitting); this module does what the developer and Mei would do
by hand: register and list it, install it from the market, authorize it over HTTP, turn its
block on, and add models through the app's own admin page.
"""

from decimal import Decimal

import httpx

from emporium.catalog.models import Item
from emporium.demo.fitting_models import MODELS, compose
from emporium.demo.listed_app import (
    AppCredentials,
    authorize_over_http,
    demo_app,
    install_from_market,
    open_embedded,
    register_listed_app,
    serve_command,
    wait_for,
)
from emporium.market import item_blocks, listings
from emporium.market.listings import BlockSpec
from emporium.market.models import Block, Listing
from emporium.shops.models import Shop

APP_NAME = "Fitting room"
SCOPES = ["shop:read", "items:read"]
SELLER = "mei"
DRESSES = 3  # dresses of Mei's that get the block and three models each (the free plan's limit)
COLOURS = [(196, 58, 92), (54, 94, 160), (40, 130, 100), (220, 160, 40)]


def register_fitting_app(fitting_url: str) -> AppCredentials:
    """Dana's app and its approved listing with the block; a re-run reuses them."""
    return register_listed_app(
        APP_NAME,
        prefix="FITTING",
        app_url=fitting_url,
        scopes=SCOPES,
        topics=["app.uninstalled"],
        listing=dict(
            summary_en="Buyers see your clothes on a model of their build, with their own face.",
            summary_zh="买家在与自己身材相近的模特身上、换上自己的脸，看到您的衣服。",
            description_en="Add photos of models wearing an item with their height, weight and size. "
            "On the item page, buyers enter their build, pick the closest model, put their own face "
            "on her and get a size suggestion. Buyers' photos never leave the app's memory.",
            description_zh="为商品添加模特照片及其身高、体重和尺码。买家在商品页输入身材，选择最接近的模特，"
            "换上自己的脸，并获得尺码建议。买家的照片只留在应用内存中。",
            category=Listing.Category.BUYER,
            install_url=f"{fitting_url}/install",
            app_url=f"{fitting_url}/app",
            plans=[
                listings.PlanSpec(name="Free", kind="free"),
                listings.PlanSpec(
                    name="Unlimited", kind="monthly", price_amount=Decimal("49.00"), trial_days=14
                ),  # fmt: skip
            ],
            blocks=[BlockSpec("Try it on", f"{fitting_url}/block", Block.Placement.BUY_BOX)],
        ),
    )


def dresses(shop: Shop) -> list[Item]:
    return list(
        Item.objects.filter(
            shop=shop, category__slug="dresses", status=Item.Status.ON_SALE
        ).order_by("pk")[:DRESSES]
    )


def market_install() -> Shop:
    """Mei installs it (free plan) and turns its block on for a few dresses."""
    (shop,) = install_from_market(APP_NAME, {SELLER: "Free"})
    chosen = dresses(shop)
    if chosen:
        block = demo_app(APP_NAME).listing.blocks.get()
        item_blocks.turn_on(shop, block.pk, all_items=False, add=[i.pk for i in chosen])
    return shop


def add_models(platform_url: str, fitting_url: str, shop: Shop) -> int:
    """Three models of different builds on each chosen dress, through the app's admin page."""
    page, view_pass = open_embedded(APP_NAME, shop.owner.username, platform_url)
    added = 0
    for n, item in enumerate(dresses(shop)):
        if f'data-item="{item.public_id}"' in page:  # a re-run: it has its models
            continue
        sizes = [str(s.options.get("Size", "")) for s in item.skus.all()]
        for model in (MODELS[:3], MODELS[1:])[n % 2]:
            size = model.size if model.size in sizes or not any(sizes) else sizes[-1]
            answer = httpx.post(f"{fitting_url}/app/models", timeout=120, data={
                "pass": view_pass, "lang": "en", "target": f"item:{item.public_id}",
                "name": model.name, "height_cm": str(model.height_cm),
                "weight_kg": str(model.weight_kg), "shape": model.shape, "size": size,
            }, files={"photo": ("model.jpg", compose(model, COLOURS[n % len(COLOURS)]),
                                "image/jpeg")})  # fmt: skip
            added += answer.status_code == 303 and "model_saved" in answer.headers["location"]
    return added


def command(port: int) -> list[str]:
    return serve_command("emporium_fitting", port)


def connect(platform_url: str, fitting_url: str, shop: Shop, stop, say) -> None:
    """Once both servers answer: Mei authorizes the app, then adds the demo's models."""
    from django.db import close_old_connections

    if not (wait_for(f"{platform_url}/", stop) and wait_for(f"{fitting_url}/healthz", stop)):
        say("the fitting room did not start; the demo runs without it")
        return
    close_old_connections()
    try:
        authorize_over_http(platform_url, fitting_url, SELLER, app="fitting")
        added = add_models(platform_url, fitting_url, shop)
    except (httpx.HTTPError, RuntimeError) as error:
        say(f"could not set up the fitting room in Mei's Closet: {error}")
        return
    items = ", ".join(i.title for i in dresses(shop))
    say(f"fitting room installed in Mei's Closet ({added} models added); try it on: {items}")
