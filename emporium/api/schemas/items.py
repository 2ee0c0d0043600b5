"""What a seller sends to create and change items and their SKUs."""

from ninja import Field, Schema

from emporium.api.schemas.common import DecimalText
from emporium.resources.items import STATUSES


class SkuIn(Schema):
    options: dict[str, str] = Field(default_factory=dict, max_length=10)
    price: DecimalText
    stock: int = Field(ge=0, le=10_000_000)
    code: str = Field("", max_length=100)


class ItemCreate(Schema):
    title: str = Field(max_length=500)
    category: str = Field(max_length=60, description="slug of a leaf category")
    description_html: str = Field("", max_length=100_000)
    option_names: list[str] = Field(default_factory=list, max_length=10)
    skus: list[SkuIn] = Field(max_length=500)
    status: str = Field("stock_room", max_length=20, description=STATUSES)


class ItemPatch(Schema):
    title: str | None = Field(None, max_length=500)
    category: str | None = Field(None, max_length=60)
    description_html: str | None = Field(None, max_length=100_000)


class SkusPut(Schema):
    option_names: list[str] = Field(default_factory=list, max_length=10)
    skus: list[SkuIn] = Field(max_length=500)


class SkuPatch(Schema):
    price: DecimalText | None = None
    stock: int | None = Field(None, ge=0, le=10_000_000)
    code: str | None = Field(None, max_length=100)


class StatusIn(Schema):
    status: str = Field(max_length=20, description=STATUSES)
