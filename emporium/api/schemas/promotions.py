"""What a seller sends to start each of the four kinds of promotion."""

from uuid import UUID

from ninja import Field

from emporium.api.schemas.common import (
    AmountText,
    AwareTime,
    DecimalText,
    Input,
    PriceText,
    StrictInt,
)
from emporium.promotions.models import Discount

MAX_NAME = Discount._meta.get_field("name").max_length


class PeriodIn(Input):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    starts_at: AwareTime
    ends_at: AwareTime


class DiscountIn(PeriodIn):
    percent_off: DecimalText = Field(description="0.1 to 90", examples=["15"])
    item_ids: list[UUID] = Field(max_length=500)


class ThresholdIn(PeriodIn):
    min_spend: PriceText
    amount_off: PriceText = Field(description="less than min_spend")


class CouponsIn(PeriodIn):
    amount_off: PriceText
    min_spend: AmountText = "0"
    total_count: StrictInt = Field(ge=1, le=100_000)


class FlashSaleIn(PeriodIn):
    sku_id: StrictInt = Field(ge=0, le=2**62)
    flash_price: PriceText = Field(description="below the SKU's price")
    stock_limit: StrictInt = Field(ge=1, le=10**9, description="1 to the SKU's stock")
    per_buyer_limit: StrictInt = Field(1, ge=0, le=10**9)
