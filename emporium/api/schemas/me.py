"""What a buyer app sends: an order to place for its buyer."""

from uuid import UUID

from ninja import Field

from emporium.api.schemas.common import Input, StrictInt
from emporium.trade.models import MAX_CART_QUANTITY


class OrderLineIn(Input):
    item_id: UUID
    sku_id: StrictInt = Field(ge=1)
    quantity: StrictInt = Field(ge=1, le=MAX_CART_QUANTITY)


class PlaceOrderIn(Input):
    lines: list[OrderLineIn] = Field(min_length=1, max_length=50)
    address_id: StrictInt = Field(ge=1, description="one of GET /me/addresses")
    note: str = Field("", max_length=200, description="a note to the seller")
