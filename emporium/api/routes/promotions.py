"""Promotions: list all four kinds together, create each kind, stop one early."""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from ninja import Query, Router
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import ApiError, fields_renamed, invalid, not_found
from emporium.api.idempotency import idempotent
from emporium.api.pagination import decode_cursor, encode_cursor
from emporium.api.schemas.common import PageQuery, to_decimal
from emporium.api.schemas.promotions import CouponsIn, DiscountIn, FlashSaleIn, ThresholdIn
from emporium.catalog.models import Item, Sku
from emporium.lib import clock
from emporium.promotions import activities
from emporium.promotions.models import Discount
from emporium.resources.common import Page
from emporium.resources.promotions import KINDS, PromotionOut, promotion_out
from emporium.shops.models import Shop

router = Router(tags=["promotions"])
FIELDS = {"items": "item_ids", "sku": "sku_id"}


class PromotionFilter(PageQuery):
    kind: Literal["discount", "threshold", "coupons", "flash_sale"] | None = None


def _rows(shop: Shop, kind: str) -> QuerySet[Any]:
    if kind == "discount":
        return Discount.objects.filter(shop=shop).prefetch_related("items")
    return KINDS[kind]._default_manager.filter(shop=shop)


def _after(kind: str, cursor: tuple) -> Q:
    """Rows after the cursor in (created_at, kind, id) descending order, for one kind's table."""
    at, mark = cursor
    last_kind, _, last_id = str(mark).partition(":")
    if kind == last_kind:
        return Q(created_at__lt=at) | Q(created_at=at, pk__lt=int(last_id or 0))
    return Q(created_at__lte=at) if kind < last_kind else Q(created_at__lt=at)


@router.get("", response=Page[PromotionOut], auth=Scoped("promotions:read"))
def list_promotions(request: ApiRequest, filters: Query[PromotionFilter]) -> dict:
    """Every kind of the shop's promotions, newest first; `kind` narrows to one."""
    cursor = decode_cursor(filters.cursor, "promotions") if filters.cursor else None
    found = []
    for kind in [filters.kind] if filters.kind else sorted(KINDS):
        rows = _rows(request.auth.acting_for, kind)
        try:
            rows = rows.filter(_after(kind, cursor)) if cursor else rows
        except (ValueError, TypeError, ValidationError):
            raise ApiError("invalid_cursor", field="cursor") from None
        found += [(kind, row) for row in rows.order_by("-created_at", "-pk")[: filters.limit + 1]]
    found.sort(key=lambda pair: (pair[1].created_at, pair[0], pair[1].pk), reverse=True)
    page, more = found[: filters.limit], len(found) > filters.limit
    next_cursor = None
    if more:
        kind, last = page[-1]
        next_cursor = encode_cursor("promotions", last.created_at, f"{kind}:{last.pk}")
    now = clock.now()
    return {"data": [promotion_out(row, now) for _, row in page], "next_cursor": next_cursor}


def _created(activity) -> Status:
    return Status(
        201, promotion_out(_rows(activity.shop, _kind(activity)).get(pk=activity.pk), clock.now())
    )


def _kind(activity) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(activity, model))


@router.post("/discounts", response={201: PromotionOut}, auth=Scoped("promotions:write"))
@idempotent
def create_discount(request: ApiRequest, payload: DiscountIn) -> Status:
    """A percentage off chosen items of the shop for a while."""
    shop = request.auth.acting_for
    items = list(Item.objects.filter(shop=shop, public_id__in=payload.item_ids))
    if len(items) != len(set(payload.item_ids)):
        raise invalid("item_ids", "item_ids: some of these items are not in your shop.")
    with fields_renamed(FIELDS):
        discount = activities.create_discount(
            shop, name=payload.name, percent_off=to_decimal(payload.percent_off, "percent_off"),
            items=items, starts_at=payload.starts_at, ends_at=payload.ends_at,
        )  # fmt: skip
    return _created(discount)


@router.post("/thresholds", response={201: PromotionOut}, auth=Scoped("promotions:write"))
@idempotent
def create_threshold(request: ApiRequest, payload: ThresholdIn) -> Status:
    """Spend at least min_spend in the shop, save amount_off."""
    threshold = activities.create_threshold(
        request.auth.acting_for, name=payload.name,
        min_spend=to_decimal(payload.min_spend, "min_spend"),
        amount_off=to_decimal(payload.amount_off, "amount_off"),
        starts_at=payload.starts_at, ends_at=payload.ends_at,
    )  # fmt: skip
    return _created(threshold)


@router.post("/coupons", response={201: PromotionOut}, auth=Scoped("promotions:write"))
@idempotent
def create_coupons(request: ApiRequest, payload: CouponsIn) -> Status:
    """A batch of shop coupons buyers claim, one each, while they last."""
    batch = activities.create_coupons(
        request.auth.acting_for, name=payload.name,
        amount_off=to_decimal(payload.amount_off, "amount_off"),
        min_spend=to_decimal(payload.min_spend, "min_spend"), total_count=payload.total_count,
        starts_at=payload.starts_at, ends_at=payload.ends_at,
    )  # fmt: skip
    return _created(batch)


@router.post("/flash-sales", response={201: PromotionOut}, auth=Scoped("promotions:write"))
@idempotent
def create_flash_sale(request: ApiRequest, payload: FlashSaleIn) -> Status:
    """A special price on one SKU, limited units, first come first served."""
    shop = request.auth.acting_for
    sku = Sku.objects.select_related("item").filter(pk=payload.sku_id, item__shop=shop).first()
    if sku is None:
        raise invalid("sku_id", "sku_id: no such SKU in your shop.")
    with fields_renamed(FIELDS):
        sale = activities.create_flash_sale(
            shop, name=payload.name, sku=sku,
            flash_price=to_decimal(payload.flash_price, "flash_price"),
            stock_limit=payload.stock_limit, per_buyer_limit=payload.per_buyer_limit,
            starts_at=payload.starts_at, ends_at=payload.ends_at,
        )  # fmt: skip
    return _created(sale)


@router.post("/{promotion_id}/stop", response=PromotionOut, auth=Scoped("promotions:write"))
def stop_promotion(request: ApiRequest, promotion_id: str) -> PromotionOut:
    """End a promotion now; orders already placed keep the price they got."""
    kind, _, number = promotion_id.rpartition("_")
    if kind not in KINDS or not number.isdigit() or len(number) > 18:
        raise not_found()
    activity = _rows(request.auth.acting_for, kind).filter(pk=int(number)).first()
    if activity is None:
        raise not_found()
    activities.stop(activity)
    return promotion_out(activity, clock.now())
