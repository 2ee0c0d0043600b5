"""Render a design as the platform's own HTML: every section from its template, data fetched in
batches (one query per kind of reference, one per item grid). A picture, item or category that
is gone renders as a placeholder or is left out — never an error on a buyer's page."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from emporium.catalog.models import Item, ItemImage
from emporium.design.models import ShopDesign
from emporium.lib import clock
from emporium.lib.html import clean_rich_text
from emporium.pictures.services import known_keys
from emporium.promotions.models import CouponBatch
from emporium.promotions.pricing import attach_shown_prices
from emporium.resources.links import image_url
from emporium.shops.models import Shop, ShopCategory


@dataclass
class Picture:
    small: str
    large: str


@dataclass
class Rendered:
    """One section as its template sees it."""

    id: str
    type: str
    settings: dict[str, Any]
    template: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def live_design_html(shop: Shop, request: HttpRequest | None = None) -> SafeString:
    """The shop's published design, or "" when it has none (or the shop is closed)."""
    if shop.status != Shop.Status.OPEN:
        return SafeString("")
    design = ShopDesign.objects.filter(shop=shop).select_related("live").first()
    if design is None or design.live is None:
        return SafeString("")
    return render_document(shop, design.live.document, request)


def render_document(shop: Shop, document: dict, request: HttpRequest | None = None) -> SafeString:
    sections = document.get("sections") or []
    if not sections:
        return SafeString("")
    context = {"sections": _prepare(shop, sections), "shop": shop}
    return SafeString(render_to_string("design/sections.html", context, request=request))


def _with_cover(items: QuerySet[Item]) -> QuerySet[Item]:
    first = ItemImage.objects.filter(item=OuterRef("pk")).order_by("position", "id")
    return items.select_related("shop").annotate(cover_key=Subquery(first.values("key")[:1]))


def _on_sale(shop: Shop) -> QuerySet[Item]:
    return _with_cover(Item.objects.filter(shop=shop, status=Item.Status.ON_SALE))


def _prepare(shop: Shop, sections: list[dict]) -> list[Rendered]:
    keys: set[str] = set()
    item_ids: set[str] = set()
    for section in sections:
        for values in [section["settings"], *(b["settings"] for b in section.get("blocks", []))]:
            if values.get("picture"):
                keys.add(values["picture"])
            if values.get("link_item"):
                item_ids.add(values["link_item"])
            item_ids.update(values.get("items") or [])
    pictures = known_keys(shop, keys)
    items = {str(i.public_id): i for i in _on_sale(shop).filter(public_id__in=list(item_ids))}
    categories = {c.pk: c for c in ShopCategory.objects.filter(shop=shop)}
    shop_url = reverse("storefront:shop", args=[shop.slug])

    def picture(key: str | None) -> Picture | None:
        if not key or key not in pictures:
            return None  # the template shows its placeholder
        return Picture(small=image_url(key, 600), large=image_url(key, 1200))

    def link(item_id: str | None) -> str:
        item = items.get(item_id or "")
        return reverse("storefront:item", args=[item.public_id]) if item else ""

    out = []
    for section in sections:
        kind, values = section["type"], dict(section["settings"])
        blocks = [dict(b["settings"]) for b in section.get("blocks", [])]
        extra: dict[str, Any] = {}
        for bag in [values, *blocks]:
            if "picture" in bag:
                bag["picture"] = picture(bag["picture"])
            if "link_item" in bag:
                bag["link"] = link(bag["link_item"])
        if kind == "item_grid":
            extra["items"] = _grid(shop, values, items)
        elif kind == "category_nav":
            chosen = [(categories.get(b["category"]), b) for b in blocks]
            extra["entries"] = [
                {"category": c, "picture": b.get("picture"), "url": f"{shop_url}?group={c.pk}"}
                for c, b in chosen if c is not None
            ] or [{"category": c, "picture": None, "url": f"{shop_url}?group={c.pk}"}
                  for c in categories.values()]  # fmt: skip
        elif kind == "coupon_strip":
            extra["coupons"] = _coupons(shop, values["limit"])
        for name in ("text", "html"):
            if isinstance(values.get(name), str):
                # Cleaned when saved; cleaned again here so a rule tightened later applies at once.
                values[name] = mark_safe(clean_rich_text(values[name]))  # noqa: S308
        out.append(
            Rendered(section["id"], kind, values, f"design/sections/{kind}.html", blocks, extra)
        )
    # Every grid's cards priced at once, as the storefront's lists price theirs.
    attach_shown_prices([i for r in out for i in r.extra.get("items", [])], clock.now())
    return out


def _grid(shop: Shop, values: dict[str, Any], picked: dict[str, Item]) -> list[Item]:
    rule, limit = values["rule"], values["limit"]
    if rule == "hand_picked":
        return [picked[i] for i in values["items"] if i in picked][:limit]
    rows = _on_sale(shop)
    if rule == "best_selling":
        rows = rows.order_by("-sales_count", "-created_at")
    elif rule == "category":
        rows = rows.filter(shop_categories=values["category"]).order_by("-created_at")
    elif rule == "price_band":
        if values["min_price"] is not None:
            rows = rows.filter(price__gte=Decimal(values["min_price"]))
        if values["max_price"] is not None:
            rows = rows.filter(price__lte=Decimal(values["max_price"]))
        rows = rows.order_by("price", "-created_at")
    else:
        rows = rows.order_by("-created_at")
    return list(rows[:limit])


def _coupons(shop: Shop, limit: int) -> list[CouponBatch]:
    now = clock.now()
    running = CouponBatch.objects.filter(
        shop=shop, is_stopped=False, starts_at__lte=now, ends_at__gt=now
    )
    return [batch for batch in running.order_by("ends_at") if batch.remaining][:limit]
