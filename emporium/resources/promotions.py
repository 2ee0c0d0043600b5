"""Shop promotions of four kinds in one shape; fields of other kinds are null."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from emporium.promotions.models import Activity, CouponBatch, Discount, FlashSale, Threshold
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


def state_of(activity: Activity, at: datetime) -> str:
    if activity.is_stopped:
        return "stopped"
    if at < activity.starts_at:
        return "scheduled"
    return "running" if at < activity.ends_at else "ended"


def promotion_out(activity: Activity, at: datetime) -> PromotionOut:
    """Discounts expect their items prefetched."""
    kind = KIND_OF[type(activity)]
    return PromotionOut(
        id=f"{kind}_{activity.pk}",
        kind=kind,
        name=activity.name,
        state=state_of(activity, at),
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        created_at=activity.created_at,
        **_fields_of_kind(activity),
    )


def _fields_of_kind(activity: Activity) -> dict[str, Any]:
    if isinstance(activity, Discount):
        items = [item.public_id for item in activity.items.all()]
        return {"percent_off": format(activity.percent_off, "f"), "item_ids": items}
    if isinstance(activity, FlashSale):
        return {
            "sku_id": activity.sku_id,
            "flash_price": money(activity.flash_price),
            "stock_limit": activity.stock_limit,
            "sold_count": activity.sold_count,
            "per_buyer_limit": activity.per_buyer_limit,
        }
    fields: dict[str, Any] = {}
    if isinstance(activity, Threshold | CouponBatch):
        fields = {"min_spend": money(activity.min_spend), "amount_off": money(activity.amount_off)}
    if isinstance(activity, CouponBatch):
        fields |= {"total_count": activity.total_count, "claimed_count": activity.claimed_count}
    return fields
