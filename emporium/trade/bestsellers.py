"""Units sold, from real orders: the "sold" count every card and item page shows, and the
hot-selling items over a recent window, overall or in a category."""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F, Sum

from emporium.catalog.models import Category, Item
from emporium.catalog.search import category_and_descendants, findable
from emporium.lib import clock
from emporium.trade.models import Order, OrderLine

SOLD = [Order.Status.PAID, Order.Status.SHIPPED, Order.Status.COMPLETED, Order.Status.SETTLED]


# `Item.sales_count` is a counter kept by the trading functions in the transaction of the cause:
# + the units when an order is paid (orders.pay), − them when a paid order is cancelled by a full
# refund (refunds.agree). Nothing else writes it (the demo seeds 0 and real orders). So it always
# equals the units of the item's orders in a SOLD status, which `sold_count_problems` proves and
# the trading checks call. Decision and measurement: docs/decisions.md ("Sold counts").


def count_sales(order: Order, sign: int) -> None:
    """Add (+1) or take back (−1) an order's units to its items' sold counts; one update per
    line, in the caller's transaction."""
    for line in order.lines.all():
        Item.objects.filter(pk=line.item_id).update(
            sales_count=F("sales_count") + sign * line.quantity
        )


def units_sold(item_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Units of each item in orders that were paid and not cancelled, counted from the orders."""
    lines = OrderLine.objects.filter(order__status__in=SOLD)
    if item_ids is not None:
        lines = lines.filter(item_id__in=list(item_ids))
    rows = lines.values("item_id").annotate(units=Sum("quantity")).values_list("item_id", "units")
    return {item_id: units for item_id, units in rows}


def sold_count_problems() -> list[str]:
    """Every item whose kept sold count differs from its orders (empty when all agree)."""
    sold = units_sold()
    kept = Item.objects.filter(sales_count__gt=0).values_list("pk", "sales_count")
    problems = [
        f"item {pk} shows {count} sold but its orders hold {sold.get(pk, 0)}"
        for pk, count in kept
        if count != sold.get(pk, 0)
    ]
    shown = set(Item.objects.filter(sales_count__gt=0).values_list("pk", flat=True))
    problems += [
        f"item {pk} shows 0 sold but its orders hold {units}"
        for pk, units in sold.items()
        if units and pk not in shown
    ]
    return problems


def recount_sales() -> int:
    """Set every sold count from the orders (after an import or a repair); items changed."""
    sold = units_sold()
    changed = Item.objects.exclude(pk__in=list(sold)).exclude(sales_count=0).update(sales_count=0)
    for pk, units in sold.items():
        changed += Item.objects.filter(pk=pk).exclude(sales_count=units).update(sales_count=units)
    return changed


def hot_items(
    days: int = 7,
    category: Category | None = None,
    limit: int = 20,
    sandbox_shop_id: int | None = None,
) -> list[tuple[Item, int]]:
    """Items on sale now, by units sold in orders paid over the last `days` (a refund does not
    take a sale back: the buyer still chose it), most first; ties by overall sales."""
    since = clock.now() - timedelta(days=days)
    lines = OrderLine.objects.filter(order__status__in=SOLD, order__paid_at__gte=since)
    if category is not None:
        lines = lines.filter(item__category__in=category_and_descendants(category))
    sold = dict(
        lines.values("item_id")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "item_id")
        .values_list("item_id", "units")[: limit * 2]  # some may be off sale now
    )
    items = (
        findable(sandbox_shop_id)
        .filter(pk__in=sold)
        .select_related("category", "shop")
        .prefetch_related("skus", "images")
    )
    ranked = sorted(items, key=lambda item: (-sold[item.pk], -item.sales_count, item.pk))
    return [(item, sold[item.pk]) for item in ranked[:limit]]
