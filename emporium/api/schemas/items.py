"""What a seller sends to create and change items and their SKUs."""

from typing import Literal

from ninja import Field

from emporium.api.schemas.common import Input, PriceText, StrictInt
from emporium.catalog.models import MAX_STOCK, Item, Sku

# The domain's own limits, read from the models so the document cannot drift from them.
MAX_TITLE = Item._meta.get_field("title").max_length
MAX_CODE = Sku._meta.get_field("code").max_length

ItemStatus = Literal["on_sale", "stock_room", "deleted"]


class SkuIn(Input):
    options: dict[str, str] = Field(default_factory=dict, max_length=10)
    price: PriceText
    stock: StrictInt = Field(ge=0, le=MAX_STOCK)
    code: str = Field("", max_length=MAX_CODE)


class ItemCreate(Input):
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    category: str = Field(min_length=1, max_length=60, description="slug of a leaf category")
    description_html: str = Field("", max_length=100_000)
    option_names: list[str] = Field(default_factory=list, max_length=10)
    skus: list[SkuIn] = Field(max_length=500)
    status: ItemStatus = "stock_room"


class ItemPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE)
    category: str | None = Field(None, min_length=1, max_length=60)
    description_html: str | None = Field(None, max_length=100_000)


class SkusPut(Input):
    option_names: list[str] = Field(default_factory=list, max_length=10)
    skus: list[SkuIn] = Field(max_length=500)


class SkuPatch(Input):
    price: PriceText | None = None
    stock: StrictInt | None = Field(None, ge=0, le=MAX_STOCK)
    code: str | None = Field(None, max_length=MAX_CODE)


class StatusIn(Input):
    status: ItemStatus
