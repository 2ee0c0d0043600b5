"""What a seller sends to ship an order or note on it."""

from ninja import Field

from emporium.api.schemas.common import Input
from emporium.trade.orders import MAX_SELLER_MEMO


class ShipIn(Input):
    carrier: str = Field(min_length=1, max_length=200, examples=["SF Express"])
    tracking_number: str = Field(min_length=1, max_length=200)


class MemoIn(Input):
    # The domain refuses a longer memo (memo_too_long) after trimming the ends.
    seller_memo: str = Field(
        max_length=MAX_SELLER_MEMO * 4,
        description="empty clears it; at most 500 characters",
        json_schema_extra={"maxLength": MAX_SELLER_MEMO},
    )
