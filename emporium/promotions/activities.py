"""Creating and stopping shop activities, and buyers claiming coupons."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from emporium.catalog.models import Item, Sku
from emporium.catalog.services import check_price
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.promotions.models import Coupon, CouponBatch, Discount, FlashSale, Threshold
from emporium.shops.models import Shop


class PromotionError(DomainError):
    def __init__(self, message: str, code: str = "promotion_refused", field: str | None = None):
        super().__init__(message, code=code, field=field)


def _check_period(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise PromotionError(_("The end must come after the start."), "bad_period", "ends_at")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise PromotionError(_("Give the activity a name."), "name_required", "name")
    return name[:60]


@transaction.atomic
def create_discount(
    shop: Shop, *, name: str, percent_off: Decimal, items: list[Item], starts_at, ends_at
) -> Discount:
    _check_period(starts_at, ends_at)
    if not Decimal("0.1") <= percent_off <= Decimal("90"):
        raise PromotionError(_("A discount is between 0.1% and 90%."), "bad_percent", "percent_off")
    if not items:
        raise PromotionError(_("Choose at least one item."), "items_required", "items")
    if any(item.shop_id != shop.pk for item in items):
        raise PromotionError(_("Choose items of your own shop."), "not_yours", "items")
    discount = Discount.objects.create(
        shop=shop,
        name=_check_name(name),
        percent_off=percent_off,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    discount.items.set(items)
    return discount


def create_threshold(
    shop: Shop, *, name: str, min_spend: Decimal, amount_off: Decimal, starts_at, ends_at
) -> Threshold:
    _check_period(starts_at, ends_at)
    check_price(min_spend, "min_spend")
    check_price(amount_off, "amount_off")
    if amount_off >= min_spend:
        raise PromotionError(
            _("The saving must be less than the spend."), "bad_amount", "amount_off"
        )
    return Threshold.objects.create(
        shop=shop, name=_check_name(name), min_spend=min_spend, amount_off=amount_off,
        starts_at=starts_at, ends_at=ends_at,
    )  # fmt: skip


def create_coupons(
    shop: Shop,
    *,
    name: str,
    amount_off: Decimal,
    min_spend: Decimal,
    total_count: int,
    starts_at,
    ends_at,
) -> CouponBatch:
    _check_period(starts_at, ends_at)
    check_price(amount_off, "amount_off")
    if min_spend:
        # Unchecked, a huge or over-precise minimum reached the database (numeric overflow).
        check_price(min_spend, "min_spend")
    if min_spend and amount_off >= min_spend:
        raise PromotionError(
            _("The coupon must be worth less than its minimum spend."), "bad_amount", "amount_off"
        )
    if not 1 <= total_count <= 100_000:
        raise PromotionError(_("Issue between 1 and 100,000 coupons."), "bad_count", "total_count")
    return CouponBatch.objects.create(
        shop=shop, name=_check_name(name), amount_off=amount_off, min_spend=min_spend,
        total_count=total_count, starts_at=starts_at, ends_at=ends_at,
    )  # fmt: skip


def create_flash_sale(
    shop: Shop, *, name: str, sku: Sku, flash_price: Decimal, stock_limit: int, per_buyer_limit: int,
    starts_at, ends_at,
) -> FlashSale:  # fmt: skip
    _check_period(starts_at, ends_at)
    if sku.item.shop_id != shop.pk:
        raise PromotionError(_("Choose an item of your own shop."), "not_yours", "sku")
    check_price(flash_price, "flash_price")
    if flash_price >= sku.price:
        raise PromotionError(
            _("The flash price must be below the normal price."), "bad_price", "flash_price"
        )
    if not 1 <= stock_limit <= sku.stock:
        raise PromotionError(
            _("Offer between 1 and the units in stock."), "bad_limit", "stock_limit"
        )
    if not 1 <= per_buyer_limit <= stock_limit:
        raise PromotionError(
            _("Allow between one and the units on offer per buyer."), "bad_limit", "per_buyer_limit"
        )
    return FlashSale.objects.create(
        shop=shop, name=_check_name(name), sku=sku, flash_price=flash_price, stock_limit=stock_limit,
        per_buyer_limit=per_buyer_limit, starts_at=starts_at, ends_at=ends_at,
    )  # fmt: skip


def stop(activity) -> None:
    """Stop an activity early; orders already placed keep the price they got."""
    activity.is_stopped = True
    activity.save(update_fields=["is_stopped"])


@transaction.atomic
def claim_coupon(batch: CouponBatch, buyer) -> Coupon:
    """One coupon per buyer while they last; the count can never pass the batch size."""
    at = clock.now()
    if not batch.is_running(at):
        raise PromotionError(_("These coupons are not available now."), "not_running")
    if batch.shop.owner_id == buyer.pk:
        raise PromotionError(_("You cannot claim your own shop's coupons."), "own_shop")
    if Coupon.objects.filter(batch=batch, buyer=buyer).exists():
        raise PromotionError(_("You already have this coupon."), "already_claimed")
    if not CouponBatch.objects.filter(pk=batch.pk, claimed_count__lt=F("total_count")).update(
        claimed_count=F("claimed_count") + 1
    ):
        raise PromotionError(_("All these coupons have been claimed."), "sold_out")
    try:
        with transaction.atomic():
            return Coupon.objects.create(batch=batch, buyer=buyer, claimed_at=at)
    except IntegrityError:
        raise PromotionError(_("You already have this coupon."), "already_claimed") from None


def running_activities(shop: Shop, at=None, viewer=None) -> dict[str, Any]:
    """What a shop is running now, for the shop page and the item page; `claimed` holds the
    coupon batches the viewer (a member, if given) already claimed, so those say so."""
    at = at or clock.now()

    def running(model):
        return list(
            model.objects.filter(shop=shop, is_stopped=False, starts_at__lte=at, ends_at__gt=at)
        )

    coupons = running(CouponBatch)
    claimed: set[int] = set()
    if coupons and viewer is not None and viewer.is_authenticated:
        claimed = set(
            Coupon.objects.filter(buyer=viewer, batch__in=coupons).values_list(
                "batch_id", flat=True
            )
        )
    return {
        "discounts": running(Discount),
        "thresholds": running(Threshold),
        "coupons": coupons,
        "flash_sales": running(FlashSale),
        "claimed": claimed,
    }


def next_thresholds(shop_subtotals: dict[int, Decimal], at=None) -> dict[int, Threshold]:
    """For each shop, the spend-and-save offer the buyer is nearest to reaching (its minimum
    spend above the subtotal), so the cart can say how much more unlocks it. One query."""
    at = at or clock.now()
    offers = Threshold.objects.filter(
        shop_id__in=list(shop_subtotals), is_stopped=False, starts_at__lte=at, ends_at__gt=at
    ).order_by("min_spend")
    nearest: dict[int, Threshold] = {}
    for offer in offers:
        if offer.min_spend > shop_subtotals[offer.shop_id]:
            nearest.setdefault(offer.shop_id, offer)
    return nearest
