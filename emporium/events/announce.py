"""The domain's events, built from its models: one function per kind of change.

Trading, catalog and shop functions call these inside their own transactions. A shop with no
app installed has nobody to tell, so nothing is written for it (an app sees only what happened
after it was installed, as on Shopify).
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from emporium.catalog.models import Item, Sku
from emporium.design.models import DesignVersion
from emporium.ecosystem.models import AppOrder, BuyerGrant, Installation
from emporium.events import outbox
from emporium.events.topics import BUYER_READABLE
from emporium.finance.models import Entry
from emporium.resources.buyers import buyer_order_out
from emporium.resources.design import version_out
from emporium.resources.finance import balance_transaction_out
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
    "refunded": "order.refunded",  # not a status: money went back, the order may stay as it was
}
# A buyer's grant with either of these sees all the buyer's orders (GET /me/orders), so its app
# is told when any of them changes.
ORDER_SCOPES = frozenset({"buyer:orders:read", "buyer:orders:write"})
REFUND_TOPICS = {"agreed": "refund.agreed", "refused": "refund.refused", "closed": "refund.closed"}


def _listened_to(shop_id: int) -> bool:
    return Installation.objects.active().filter(shop_id=shop_id).exists()


def order_changed(order: Order, status: str | None = None) -> None:
    """`order.created`, or the topic of the status the order just moved to; to the shop's apps,
    and (buyer side) to the buyer app that placed the order."""
    name = "order.created" if status is None else ORDER_TOPICS.get(status)
    if name is None:
        return
    if name in BUYER_READABLE:
        _tell_placing_app(order, name)
    if not _listened_to(order.shop_id):
        return
    outbox.record(name, shop=order.shop, data={"order": order_out(order)})


def _tell_placing_app(order: Order, name: str) -> None:
    """The buyer's view of the order, to each app the buyer authorized to see their orders (the
    app that placed it among them) while its grant lives: an event of that app alone, of no shop
    (docs/events.md, "Buyer apps"). An app that reads the buyer's orders by API (an account
    book) learns of them as the app that placed one does."""
    placed = AppOrder.objects.filter(order_id=order.pk).values_list("app_id", flat=True).first()
    grants = BuyerGrant.objects.active().filter(member_id=order.buyer_id).select_related("app")
    for grant in grants:
        sees_orders = ORDER_SCOPES & set(grant.scope_list)
        if grant.app_id != placed and not sees_orders:
            continue
        data = {"buyer_id": grant.buyer_id, "order": buyer_order_out(order, grant.app_id)}
        outbox.record(name, app=grant.app, data=data)


def refund_changed(refund: Refund, status: str | None = None) -> None:
    name = "refund.requested" if status is None else REFUND_TOPICS.get(status)
    order = refund.order
    if name is None or not _listened_to(order.shop_id):
        return
    outbox.record(name, shop=order.shop, data={"refund": refund_out(refund)})


def item_changed(item: Item, name: str = "item.updated") -> None:
    """`item.created` / `item.updated`, or `item.deleted` when the item's status is deleted."""
    if _listened_to(item.shop_id):
        topic, data = _item_event(item, name)
        outbox.record(topic, shop=item.shop, data=data)


def items_changed(shop: Shop, items: Iterable[Item]) -> None:
    """`item.updated` for each item of one shop's bulk change: one look for listeners, one read
    of the items with what their payload shows and one write, however many items there are."""
    if not _listened_to(shop.pk):
        return
    fresh = (
        Item.objects.filter(pk__in=[item.pk for item in items])
        .select_related("category")
        .prefetch_related("skus", "images")
        .order_by("pk")
    )
    outbox.record_many(shop, [_item_event(item) for item in fresh])


def _item_event(item: Item, name: str = "item.updated") -> tuple[str, dict[str, Any]]:
    if item.status == "deleted":
        return "item.deleted", {"item_id": str(item.public_id)}
    return name, {"item": item_out(item)}


def stock_changed(sku: Sku, previous: int, stock: int, reason: str) -> None:
    """reason: sale, cancellation, refund or seller."""
    if previous != stock and _listened_to(sku.item.shop_id):
        data = _stock_data(sku, previous, stock, reason)
        outbox.record("item.stock_changed", shop=sku.item.shop, data=data)


def stocks_changed(shop: Shop, changes: Iterable[tuple[Sku, int, int]], reason: str) -> None:
    """`item.stock_changed` for every SKU whose stock moved (sku, before, after), in one write;
    the SKUs' items must be loaded."""
    moved = [(sku, before, after) for sku, before, after in changes if before != after]
    if not moved or not _listened_to(shop.pk):
        return
    outbox.record_many(
        shop,
        [
            ("item.stock_changed", _stock_data(sku, before, after, reason))
            for sku, before, after in moved
        ],
    )


def stocks_taken(shop: Shop, taken: list[tuple[Sku, int]], reason: str) -> None:
    """`item.stock_changed` for SKUs whose stock was just lowered in SQL by the quantities taken:
    their stock now is read once, for all of them, and only when an app listens."""
    if not taken or not _listened_to(shop.pk):
        return
    stock = dict(Sku.objects.filter(pk__in=[s.pk for s, _ in taken]).values_list("pk", "stock"))
    data = [_stock_data(s, stock[s.pk] + n, stock[s.pk], reason) for s, n in taken if n]
    outbox.record_many(shop, [("item.stock_changed", d) for d in data])


def _stock_data(sku: Sku, previous: int, stock: int, reason: str) -> dict[str, Any]:
    return {
        "item_id": str(sku.item.public_id),
        "sku_id": sku.pk,
        "stock": stock,
        "previous_stock": previous,
        "reason": reason,
    }


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


def balance_moved(entry: Entry, legs: dict[str, Decimal]) -> None:
    """`balance.transaction_created` for a movement of a seller's balance (and
    `balance.withdrawal_created` when it is a withdrawal), to the shop's apps; `legs` holds the
    posting's amounts by account code."""
    shop = Shop.objects.filter(owner_id=entry.account.owner_id).first()
    if shop is None or not _listened_to(shop.pk):
        return
    data = {"balance_transaction": balance_transaction_out(entry, legs)}
    outbox.record("balance.transaction_created", shop=shop, data=data)
    if entry.posting.reason == "withdrawal":
        outbox.record("balance.withdrawal_created", shop=shop, data=data)
