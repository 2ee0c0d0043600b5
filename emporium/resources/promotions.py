"""Shop promotions of four kinds in one shape; fields of other kinds are null."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Schema

from emporium.promotions.models import CouponBatch, Discount, FlashSale, Threshold
from emporium.resources.common import Money, UtcDatetime, money

KINDS = {
    "discount": Discount,
    "threshold": Threshold,
    "coupons": CouponBatch,
    "flash_sale": FlashSale,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}


class PromotionOut(Schema):
    id: str = Field(examples=["discount_12"], description="kind_number")
    kind: str = Field(description="discount | threshold | coupons | flash_sale")
    name: str
    state: str = Field(description="scheduled | running | ended | stopped")
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    created_at: UtcDatetime
    percent_off: str | None = Field(None, description="discount")
    item_ids: list[UUID] | None = Field(None, description="discount")
    min_spend: Money | None = Field(None, description="threshold, coupons")
    amount_off: Money | None = Field(None, description="threshold, coupons")
    total_count: int | None = Field(None, description="coupons")
    claimed_count: int | None = Field(None, description="coupons")
    sku_id: int | None = Field(None, description="flash_sale")
    flash_price: Money | None = Field(None, description="flash_sale")
    stock_limit: int | None = Field(None, description="flash_sale")
    sold_count: int | None = Field(None, description="flash_sale")
    per_buyer_limit: int | None = Field(None, description="flash_sale")


def state_of(activity, at: datetime) -> str:
    if activity.is_stopped:
        return "stopped"
    if at < activity.starts_at:
        return "scheduled"
    return "running" if at < activity.ends_at else "ended"


def promotion_out(activity, at: datetime) -> PromotionOut:
    """Discounts expect their items prefetched."""
    kind = KIND_OF[type(activity)]
    out = PromotionOut(
        id=f"{kind}_{activity.pk}",
        kind=kind,
        name=activity.name,
        state=state_of(activity, at),
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        created_at=activity.created_at,
    )
    if isinstance(activity, Discount):
        out.percent_off = format(activity.percent_off, "f")
        out.item_ids = [item.public_id for item in activity.items.all()]
    if isinstance(activity, Threshold | CouponBatch):
        out.min_spend, out.amount_off = money(activity.min_spend), money(activity.amount_off)
    if isinstance(activity, CouponBatch):
        out.total_count, out.claimed_count = activity.total_count, activity.claimed_count
    if isinstance(activity, FlashSale):
        out.sku_id, out.flash_price = activity.sku_id, money(activity.flash_price)
        out.stock_limit, out.sold_count = activity.stock_limit, activity.sold_count
        out.per_buyer_limit = activity.per_buyer_limit
    return out
