"""Today's numbers of a shop for the seller's dashboard, in the seller's own day (their time zone).

Sales and paid orders count what was paid today; visitors are the platform's own collector's
distinct visitor ids today (ids rotate at UTC midnight, so a visitor who stays across it counts
twice on a Chinese seller's morning: the collector promises no more, docs/customer-events.md);
orders to ship and refunds to answer are whatever waits now, whenever it arrived.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum

from emporium.customer_events.models import CustomerEvent
from emporium.lib import clock, money
from emporium.shops.models import Shop
from emporium.trade.models import Order, Refund

S = Order.Status
IN_ESCROW = (S.PAID, S.SHIPPED, S.COMPLETED)


@dataclass(frozen=True)
class Today:
    sales: Decimal
    paid_orders: int
    visitors: int
    to_ship: int
    refunds_to_answer: int
    open_refunds: int  # to answer, refused or with the operator
    in_escrow: Decimal
    day_start: datetime


def day_bounds(zone: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of today in `zone`, as aware datetimes."""
    local = (now or clock.now()).astimezone(zoneinfo.ZoneInfo(zone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def today(shop: Shop, zone: str) -> Today:
    """The shop's figures of today in the seller's zone: three queries."""
    start, end = day_bounds(zone)
    paid_today = Q(paid_at__gte=start, paid_at__lt=end)
    held = Q(status__in=IN_ESCROW)
    orders = Order.objects.filter(shop=shop).aggregate(
        sales=Sum("total_amount", filter=paid_today),
        paid=Count("pk", filter=paid_today),
        to_ship=Count("pk", filter=Q(status=S.PAID)),
        held=Sum("total_amount", filter=held),
        held_refunded=Sum("refunded_amount", filter=held),
    )
    visitors = (
        CustomerEvent.objects.filter(shop=shop, received_at__gte=start, received_at__lt=end)
        .values("visitor_id")
        .distinct()
        .count()
    )
    asked = Refund.objects.filter(order__shop=shop, status__in=Refund.OPEN).aggregate(
        to_answer=Count("pk", filter=Q(status=Refund.Status.REQUESTED)), open=Count("pk")
    )
    return Today(
        sales=money.cents_or_zero(orders["sales"]),
        paid_orders=orders["paid"],
        visitors=visitors,
        to_ship=orders["to_ship"],
        refunds_to_answer=asked["to_answer"],
        open_refunds=asked["open"],
        in_escrow=money.cents_or_zero(orders["held"])
        - money.cents_or_zero(orders["held_refunded"]),
        day_start=start,
    )


def in_escrow(shop: Shop) -> Decimal:
    """The shop's money the platform still holds: paid, not yet settled, less refunds."""
    held = Order.objects.filter(shop=shop, status__in=IN_ESCROW).aggregate(
        total=Sum("total_amount"), refunded=Sum("refunded_amount")
    )
    return money.cents_or_zero(held["total"]) - money.cents_or_zero(held["refunded"])
