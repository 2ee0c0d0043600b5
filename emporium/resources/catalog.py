"""The public catalog as buyer apps see it: prices with promotions applied, stock and pictures."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ninja import Field, Schema

from emporium.catalog.models import Item
from emporium.resources.common import Money, UtcDatetime, money
from emporium.resources.items import ImageOut, PublicShop, image_out
from emporium.resources.links import item_page


class Offer(Protocol):
    """A SKU's price now, as promotions.pricing.unit_prices gives it (resources read no domain)."""

    @property
    def price(self) -> Decimal: ...
    @property
    def flash_sale(self) -> object | None: ...
    @property
    def discount(self) -> object | None: ...


class CatalogSkuOut(Schema):
    id: int
    options: dict[str, str]
    list_price: Money
    price: Money = Field(description="what the buyer pays now, promotions applied")
    promotion: str | None = Field(description="flash_sale | discount, when one applies")
    stock: int


class CatalogItemOut(Schema):
    id: UUID
    title: str
    category: str
    shop: PublicShop
    description_html: str
    option_names: list[str]
    price: Money = Field(description="the lowest SKU price now, promotions applied")
    stock: int
    sales_count: int
    skus: list[CatalogSkuOut]
    images: list[ImageOut]
    url: str
    updated_at: UtcDatetime


class HotItemOut(Schema):
    item: CatalogItemOut
    sold_recently: int = Field(description="units sold in paid orders over the window")


def _promotion(offer: Offer) -> str | None:
    if offer.flash_sale is not None:
        return "flash_sale"
    return "discount" if offer.discount is not None else None


def catalog_item_out(item: Item, offers: Mapping[int, Offer]) -> CatalogItemOut:
    """Expects skus, images, category and shop loaded, and `offers` from pricing.unit_prices."""
    skus = list(item.skus.all())
    rows = [
        CatalogSkuOut(
            id=sku.pk,
            options={k: str(v) for k, v in sku.options.items()},
            list_price=money(sku.price),
            price=money(offers[sku.pk].price),
            promotion=_promotion(offers[sku.pk]),
            stock=sku.stock,
        )
        for sku in skus
    ]
    lowest = min((offers[sku.pk].price for sku in skus), default=item.price)
    return CatalogItemOut(
        id=item.public_id,
        title=item.title,
        category=item.category.slug,
        shop=PublicShop(id=item.shop.public_id, name=item.shop.name),
        description_html=item.description_html,
        option_names=list(item.option_names),
        price=money(lowest),
        stock=sum(sku.stock for sku in skus),
        sales_count=item.sales_count,
        skus=rows,
        images=[image_out(image) for image in item.images.all()],
        url=item_page(item.public_id),
        updated_at=item.updated_at,
    )
