"""The domain's events, built from its models: one function per kind of change.

Trading, catalog and shop functions call these inside their own transactions. A shop with no
app installed has nobody to tell, so nothing is written for it (an app sees only what happened
after it was installed, as on Shopify).
"""

from collections.abc import Iterable

from emporium.catalog.models import Item, Sku
from emporium.design.models import DesignVersion
from emporium.ecosystem.models import Installation
from emporium.events import outbox
from emporium.resources.design import version_out
from emporium.resources.items import item_out
from emporium.resources.orders import order_out
from emporium.resources.refunds import refund_out
from emporium.resources.shop import shop_out
from emporium.shops.models import Shop
from emporium.trade.models import Order, Refund

ORDER_TOPICS = {
    "paid": "order.paid",
    "shipped": "order.shipped",
    "completed": "order.completed",
    "cancelled": "order.cancelled",
    "settled": "order.settled",
}
REFUND_TOPICS = {"agreed": "refund.agreed", "refused": "refund.refused", "closed": "refund.closed"}


def _listened_to(shop_id: int) -> bool:
    return Installation.objects.filter(shop_id=shop_id, uninstalled_at__isnull=True).exists()


def order_changed(order: Order, status: str | None = None) -> None:
    """`order.created`, or the topic of the status the order just moved to."""
    name = "order.created" if status is None else ORDER_TOPICS.get(status)
    if name is None or not _listened_to(order.shop_id):
        return
    outbox.record(name, shop=order.shop, data={"order": order_out(order)})


def refund_changed(refund: Refund, status: str | None = None) -> None:
    name = "refund.requested" if status is None else REFUND_TOPICS.get(status)
    order = refund.order
    if name is None or not _listened_to(order.shop_id):
        return
    outbox.record(name, shop=order.shop, data={"refund": refund_out(refund)})


def item_changed(item: Item, name: str = "item.updated") -> None:
    """`item.created` / `item.updated`, or `item.deleted` when the item's status is deleted."""
    if _listened_to(item.shop_id):
        _record_item(item.shop, item, name)


def items_changed(shop: Shop, items: Iterable[Item]) -> None:
    """`item.updated` for each item of one shop's bulk change: one look for listeners and one
    read of the items with what their payload shows, however many items there are."""
    if not _listened_to(shop.pk):
        return
    fresh = (
        Item.objects.filter(pk__in=[item.pk for item in items])
        .select_related("category")
        .prefetch_related("skus", "images")
        .order_by("pk")
    )
    for item in fresh:
        item.shop = shop
        _record_item(shop, item)


def _record_item(shop: Shop, item: Item, name: str = "item.updated") -> None:
    if item.status == "deleted":
        outbox.record("item.deleted", shop=shop, data={"item_id": str(item.public_id)})
    else:
        outbox.record(name, shop=shop, data={"item": item_out(item)})


def stock_changed(sku: Sku, previous: int, stock: int, reason: str) -> None:
    """reason: sale, cancellation, refund or seller."""
    if previous == stock:
        return
    item = sku.item
    if not _listened_to(item.shop_id):
        return
    outbox.record(
        "item.stock_changed",
        shop=item.shop,
        data={
            "item_id": str(item.public_id),
            "sku_id": sku.pk,
            "stock": stock,
            "previous_stock": previous,
            "reason": reason,
        },
    )


def shop_updated(shop: Shop) -> None:
    if not _listened_to(shop.pk):
        return
    outbox.record("shop.updated", shop=shop, data={"shop": shop_out(shop)})


def design_published(version: DesignVersion) -> None:
    """`shop.design_published`: a version went live (by hand, by rollback or on schedule)."""
    if _listened_to(version.shop_id):
        outbox.record(
            "shop.design_published",
            shop=version.shop,
            data={"version": version_out(version, live=True)},
        )
