"""Background upkeep of carts, run by the worker on a schedule."""

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from emporium.trade.models import Cart

ANONYMOUS_CART_DAYS = 30


def purge_abandoned_carts(now: datetime | None = None) -> int:
    """Anonymous carts untouched for 30 days, and expired sessions, are removed; buyers' carts stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=ANONYMOUS_CART_DAYS)
    _total, by_model = Cart.objects.filter(member__isnull=True, updated_at__lt=cutoff).delete()
    Session.objects.filter(expire_date__lt=now).delete()
    return by_model.get(Cart._meta.label, 0)


@db_periodic_task(crontab(hour="3", minute="17"))
def nightly_cart_upkeep() -> None:
    purge_abandoned_carts()


@db_periodic_task(crontab(minute="*"))
def order_clock() -> None:
    """Every minute: cancel unpaid orders past the window, complete and settle overdue shipments,
    and take the held fee of settled orders whose return window has closed."""
    from emporium.trade import orders

    orders.cancel_overdue_orders()
    orders.complete_overdue_shipments()
    orders.settle_completed_orders()
    orders.settle_fees()
