"""GET and PATCH /shop: the shop of the seller who granted the token."""

from ninja import Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.schemas.shop import ShopPatch
from emporium.resources.shop import ShopCategoryOut, ShopOut, shop_category_out, shop_out
from emporium.shops import services

router = Router(tags=["shop"])


@router.get("", response=ShopOut, auth=Scoped("shop:read"))
def get_shop(request: ApiRequest) -> ShopOut:
    """The shop's name, description, status and logo."""
    return shop_out(request.auth.acting_for)


@router.get("/categories", response=list[ShopCategoryOut], auth=Scoped("shop:read"))
def categories(request: ApiRequest) -> list[ShopCategoryOut]:
    """The shop's own categories, in the order its storefront shows them."""
    return [shop_category_out(c) for c in request.auth.acting_for.categories.all()]


@router.patch("", response=ShopOut, auth=Scoped("shop:write"))
def update_shop(request: ApiRequest, payload: ShopPatch) -> ShopOut:
    """Change the name and/or the description; omitted fields stay as they are."""
    shop = request.auth.acting_for
    name = shop.name if payload.name is None else payload.name
    description = shop.description if payload.description is None else payload.description
    if (name, description) != (
        shop.name,
        shop.description,
    ):  # nothing to change, nothing to announce
        services.update_shop(shop, name=name, description=description)
    return shop_out(shop)
