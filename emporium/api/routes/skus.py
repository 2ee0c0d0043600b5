"""An item's SKUs: replace the whole matrix, or change one SKU's price, stock or code."""

from uuid import UUID

from ninja import Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import fields_renamed, not_found
from emporium.api.routes.items import own_item, sku_specs
from emporium.api.schemas.common import to_decimal
from emporium.api.schemas.items import SkuPatch, SkusPut
from emporium.catalog import services as catalog
from emporium.resources.items import ItemOut, SkuOut, item_out, sku_out

router = Router(tags=["items"])


@router.put("/{item_id}/skus", response=ItemOut, auth=Scoped("items:write"))
def replace_skus(request: ApiRequest, item_id: UUID, payload: SkusPut) -> ItemOut:
    """A new option set and SKU list; SKUs whose options survive keep their ids."""
    item = own_item(request.auth.acting_for, item_id)
    with fields_renamed({"options": "skus"}):  # an ordered SKU cannot be removed
        catalog.replace_skus(item, payload.option_names, sku_specs(payload.skus))
    return item_out(own_item(request.auth.acting_for, item_id))


@router.patch("/{item_id}/skus/{sku_id}", response=SkuOut, auth=Scoped("items:write"))
def update_sku(request: ApiRequest, item_id: UUID, sku_id: int, payload: SkuPatch) -> SkuOut:
    """Change price, stock and/or the seller's code of one SKU; omitted fields stay."""
    item = own_item(request.auth.acting_for, item_id)
    sku = next((s for s in item.skus.all() if s.pk == sku_id), None)
    if sku is None:
        raise not_found()
    price = None if payload.price is None else to_decimal(payload.price, "price")
    # The domain names the field "skus" for its batch form; here each value is its own field.
    if price is not None:
        catalog.check_price(price, "price")
    if payload.stock is not None:
        catalog.check_stock(payload.stock, "stock")
    # Omitted fields go as None: the domain keeps what the row holds under its lock, never a
    # value read here before it (a checkout in between would have its stock written back).
    catalog.update_skus(item, {sku.pk: (price, payload.stock, payload.code)})
    sku.refresh_from_db()
    return sku_out(sku)
