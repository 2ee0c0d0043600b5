"""The seller center's one step of making an item: fields, SKUs, pictures and status together."""

from collections.abc import Sequence

from django.db import transaction

from emporium.catalog.models import Category, Item
from emporium.catalog.services.items import create_item, set_status
from emporium.catalog.services.pictures import add_images
from emporium.catalog.services.skus import SkuSpec
from emporium.shops.models import Shop


@transaction.atomic
def create_item_with_pictures(
    shop: Shop,
    *,
    title: str,
    category: Category,
    description_html: str,
    option_names: list[str],
    skus: list[SkuSpec],
    pictures: Sequence,
    status: str,
    shop_categories: Sequence = (),
) -> Item:
    """Create the item in the stock-room, add its pictures in the order given (the first is the
    main one), then give it its status: going on sale checks stock and pictures like any listing.
    One transaction: a refused picture or status leaves no item behind."""
    item = create_item(
        shop,
        title=title,
        category=category,
        description_html=description_html,
        option_names=option_names,
        skus=skus,
        status=Item.Status.STOCK_ROOM,
        shop_categories=shop_categories,
    )
    if pictures:
        add_images(item, pictures)
    if status != Item.Status.STOCK_ROOM:
        set_status(item, status)
    return item
