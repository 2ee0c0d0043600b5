"""The shop's customers: who ordered, from where, how often — never contact details."""

from uuid import UUID

from ninja import Field, Schema

from emporium.resources.common import UtcDatetime


class CustomerOut(Schema):
    id: UUID = Field(description="stable for this shop, different in every other shop")
    name: str = Field(description="display name")
    province: str = Field(description="of the last order's shipping address")
    city: str
    order_count: int
    first_order_at: UtcDatetime
    last_order_at: UtcDatetime
