"""The shop the token's seller owns."""

from uuid import UUID

from ninja import Field, Schema

from emporium.resources.common import UtcDatetime
from emporium.resources.links import picture_url, shop_page
from emporium.shops.models import Shop, ShopCategory


class ShopOut(Schema):
    id: UUID
    name: str
    slug: str
    description: str
    status: str = Field(examples=["open"])
    logo_url: str = Field(description="empty when the shop has no logo")
    url: str = Field(description="the shop's storefront page")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class ShopCategoryOut(Schema):
    id: int = Field(description="the number customer events carry as `page.shop_category_id`")
    name: str
    position: int


def shop_category_out(category: ShopCategory) -> ShopCategoryOut:
    return ShopCategoryOut(id=category.pk, name=category.name, position=category.position)


def shop_out(shop: Shop) -> ShopOut:
    return ShopOut(
        id=shop.public_id,
        name=shop.name,
        slug=shop.slug,
        description=shop.description,
        status=shop.status,
        logo_url=picture_url(shop.logo_key, 240),
        url=shop_page(shop.slug),
        created_at=shop.created_at,
        updated_at=shop.updated_at,
    )
