"""Creating, editing and listing one item."""

from django.db import transaction
from django.db.models import Count, Q

from emporium.catalog.models import Category, Item
from emporium.catalog.search_terms import index_fields
from emporium.catalog.services.checks import (
    _check_status,
    check_category,
    check_description,
    check_has_picture,
    check_listable,
    check_shop_categories,
    check_title,
)
from emporium.catalog.services.skus import SkuSpec, _check_skus, _write_skus
from emporium.events import announce
from emporium.lib.html import plain_text
from emporium.shops.models import Shop


@transaction.atomic
def create_item(
    shop: Shop,
    *,
    title: str,
    category: Category,
    description_html: str = "",
    option_names: list[str] | None = None,
    skus: list[SkuSpec],
    status: str = Item.Status.STOCK_ROOM,
    shop_categories=(),
) -> Item:
    option_names = option_names or []
    title = check_title(title)
    check_category(category)
    _check_status(status)
    _check_skus(option_names, skus)
    check_shop_categories(shop, shop_categories)
    description = check_description(description_html)
    text = plain_text(description)
    item = Item.objects.create(
        shop=shop,
        category=category,
        title=title,
        description_html=description,
        description_text=text,
        **index_fields(title, text, category),
        option_names=option_names,
        price=min(s.price for s in skus),
        stock=sum(s.stock for s in skus),
        status=status,
    )
    _write_skus(item, skus)
    item.shop_categories.set(shop_categories)
    announce.item_changed(item, "item.created")
    return item


@transaction.atomic
def update_item(
    item: Item,
    *,
    title: str,
    category: Category,
    description_html: str,
    shop_categories=(),
) -> Item:
    title = check_title(title)
    check_category(category)
    check_shop_categories(item.shop, shop_categories)
    description = check_description(description_html)
    item.title = title
    item.category = category
    item.description_html = description
    item.description_text = plain_text(description)
    for field, value in index_fields(title, item.description_text, category).items():
        setattr(item, field, value)
    item.save()
    item.shop_categories.set(shop_categories)
    announce.item_changed(item)
    return item


@transaction.atomic
def set_status(item: Item, status: str) -> None:
    """List (on sale), delist (stock-room) or delete (kept for order history, hidden everywhere)."""
    _check_status(status)
    if status == Item.Status.ON_SALE:
        check_listable(item.stock)
        check_has_picture(item.images.count())
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    announce.item_changed(item)


def item_counts(shop: Shop) -> dict[str, int]:
    """How many of the shop's items are on sale, in the stock-room, and out of stock."""
    live = ~Q(status=Item.Status.DELETED)
    return Item.objects.filter(shop=shop).aggregate(
        total=Count("pk", filter=live),
        on_sale=Count("pk", filter=Q(status=Item.Status.ON_SALE)),
        stock_room=Count("pk", filter=Q(status=Item.Status.STOCK_ROOM)),
        out_of_stock=Count("pk", filter=live & Q(stock=0)),
    )
