"""What collect.js is told about the page it runs on: its type and ids, and a fresh checkout."""

from typing import Any

from django.http import HttpRequest

CHECKOUT_KEY = "customer_events_checkout"
# (URL namespace, URL name) → page type. Other buyer pages of these namespaces are "other";
# pages elsewhere (seller center, developer center, accounts, admin) are not tracked at all.
PAGE_TYPES = {
    ("storefront", "home"): "home",
    ("storefront", "category"): "category",
    ("storefront", "item"): "item",
    ("storefront", "search"): "search",
    ("storefront", "shop"): "shop",
    ("storefront", "cart"): "cart",
    ("trade", "checkout"): "checkout",
}
TRACKED_NAMESPACES = {"storefront", "trade"}


def remember_checkout(request: HttpRequest, orders) -> None:
    """Called by checkout: the next page shown tells collect.js to send checkout_completed."""
    request.session[CHECKOUT_KEY] = [
        {"order_id": str(o.public_id), "total": f"{o.total_amount:.2f}", "currency": o.currency}
        for o in orders
    ]


def page_type(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in TRACKED_NAMESPACES:
        return None
    return PAGE_TYPES.get((match.namespace, match.url_name), "other")


def page_config(request: HttpRequest, context: Any) -> dict | None:
    """The JSON config of collect.js for this page, or None on pages that are not tracked."""
    kind = page_type(request)
    if kind is None:
        return None
    page: dict[str, Any] = {"type": kind}
    item, shop, category = context.get("item"), context.get("shop"), context.get("category")
    if kind == "item" and item is not None:
        page.update(item_id=str(item.public_id), shop_id=str(item.shop.public_id))
        page["category_id"] = item.category_id
    elif kind == "shop" and shop is not None:
        page["shop_id"] = str(shop.public_id)
        chosen = context.get("chosen")
        if chosen is not None:
            page["shop_category_id"] = chosen.pk
    elif kind == "category" and category is not None:
        page["category_id"] = category.pk
    if kind in ("search", "category", "shop") and request.GET.get("q"):
        page["search"] = request.GET["q"].strip()[:100]
    config: dict[str, Any] = {"endpoint": "/collect", "page": page}
    if hasattr(request, "session") and CHECKOUT_KEY in request.session:
        config["checkout"] = request.session.pop(CHECKOUT_KEY)
    return config
