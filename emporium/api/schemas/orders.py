"""What a seller sends to ship an order or note on it."""

from ninja import Field, Schema


class ShipIn(Schema):
    carrier: str = Field(max_length=200, examples=["SF Express"])
    tracking_number: str = Field(max_length=200)


class MemoIn(Schema):
    seller_memo: str = Field(max_length=2000, description="empty clears it; at most 500 characters")
