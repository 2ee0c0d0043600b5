"""What a seller sends to change the shop."""

from ninja import Field, Schema


class ShopPatch(Schema):
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=10_000)
