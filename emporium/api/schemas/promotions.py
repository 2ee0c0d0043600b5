"""What a seller sends to start each of the four kinds of promotion."""

from uuid import UUID

from ninja import Field, Schema

from emporium.api.schemas.common import AwareTime, DecimalText


class PeriodIn(Schema):
    name: str = Field(max_length=200)
    starts_at: AwareTime
    ends_at: AwareTime


class DiscountIn(PeriodIn):
    percent_off: DecimalText = Field(description="0.1 to 90", examples=["15"])
    item_ids: list[UUID] = Field(max_length=500)


class ThresholdIn(PeriodIn):
    min_spend: DecimalText
    amount_off: DecimalText


class CouponsIn(PeriodIn):
    amount_off: DecimalText
    min_spend: DecimalText = "0"
    total_count: int = Field(ge=0, le=10**9)


class FlashSaleIn(PeriodIn):
    sku_id: int = Field(ge=0, le=2**62)
    flash_price: DecimalText
    stock_limit: int = Field(ge=0, le=10**9)
    per_buyer_limit: int = Field(1, ge=0, le=10**9)
