"""Items with their SKUs and pictures, as a seller manages them and as the public catalog shows them."""

from uuid import UUID

from ninja import Field, Schema

from emporium.catalog.models import Item, ItemImage, Sku
from emporium.resources.common import Money, UtcDatetime, money
from emporium.resources.links import item_page, picture_url

STATUSES = "on_sale | stock_room | deleted"


class SkuOut(Schema):
    id: int
    options: dict[str, str] = Field(examples=[{"Colour": "Red", "Size": "M"}])
    code: str = Field(description="the seller's own code")
    price: Money
    stock: int


class ImageOut(Schema):
    id: int
    position: int = Field(description="0 is the main picture")
    width: int
    height: int
    urls: dict[str, str] = Field(description="by width in pixels: 240, 600, 1200")


class ItemOut(Schema):
    id: UUID
    title: str
    category: str = Field(description="slug of a leaf of /categories", examples=["dresses"])
    description_html: str
    option_names: list[str]
    price: Money = Field(description="the lowest SKU price")
    stock: int = Field(description="the sum over SKUs")
    sales_count: int
    status: str = Field(description=STATUSES)
    skus: list[SkuOut]
    images: list[ImageOut]
    url: str = Field(description="the storefront page")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class PublicSkuOut(Schema):
    id: int
    options: dict[str, str]
    price: Money
    in_stock: bool


class PublicShop(Schema):
    id: UUID
    name: str


class PublicItemOut(Schema):
    id: UUID
    title: str
    category: str
    shop: PublicShop
    price: Money
    sales_count: int
    in_stock: bool
    skus: list[PublicSkuOut]
    images: list[ImageOut]
    url: str
    updated_at: UtcDatetime


def sku_out(sku: Sku) -> SkuOut:
    return SkuOut(
        id=sku.pk, options=sku.options, code=sku.code, price=money(sku.price), stock=sku.stock
    )


def image_out(image: ItemImage) -> ImageOut:
    urls = {str(w): picture_url(image.key, w) for w in (240, 600, 1200)}
    return ImageOut(
        id=image.pk, position=image.position, width=image.width, height=image.height, urls=urls
    )


def item_out(item: Item) -> ItemOut:
    """Expects skus, images and category prefetched (see routes.items.ITEMS)."""
    return ItemOut(
        id=item.public_id,
        title=item.title,
        category=item.category.slug,
        description_html=item.description_html,
        option_names=item.option_names,
        price=money(item.price),
        stock=item.stock,
        sales_count=item.sales_count,
        status=item.status,
        skus=[sku_out(s) for s in item.skus.all()],
        images=[image_out(i) for i in item.images.all()],
        url=item_page(item.public_id),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def public_item_out(item: Item) -> PublicItemOut:
    return PublicItemOut(
        id=item.public_id,
        title=item.title,
        category=item.category.slug,
        shop=PublicShop(id=item.shop.public_id, name=item.shop.name),
        price=money(item.price),
        sales_count=item.sales_count,
        in_stock=item.stock > 0,
        skus=[
            PublicSkuOut(id=s.pk, options=s.options, price=money(s.price), in_stock=s.stock > 0)
            for s in item.skus.all()
        ],
        images=[image_out(i) for i in item.images.all()],
        url=item_page(item.public_id),
        updated_at=item.updated_at,
    )
