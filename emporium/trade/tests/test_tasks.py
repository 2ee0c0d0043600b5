"""The nightly upkeep removes abandoned anonymous carts and keeps buyers' carts."""

from datetime import timedelta

from django.utils import timezone

from emporium.trade.models import Cart
from emporium.trade.tasks import purge_abandoned_carts


def test_it_removes_only_old_anonymous_carts(buyer):
    old = Cart.objects.create(session_key="old-session")
    fresh = Cart.objects.create(session_key="fresh-session")
    kept = Cart.objects.create(member=buyer)
    long_ago = timezone.now() - timedelta(days=45)
    Cart.objects.filter(pk__in=[old.pk, kept.pk]).update(updated_at=long_ago)

    assert purge_abandoned_carts() == 1
    assert set(Cart.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}


def test_the_worker_clock_cancels_overdue_orders_and_completes_old_shipments(
    funded_buyer, shop, make_item, address
):
    from emporium.lib import clock
    from emporium.trade import orders
    from emporium.trade.models import Order
    from emporium.trade.tasks import order_clock

    unpaid, shipped = (
        orders.checkout(funded_buyer, address, [(make_item(shop, title=t).skus.get(), 1)])[0]
        for t in ("Unpaid", "Shipped")
    )
    orders.pay(funded_buyer, [shipped])
    orders.ship(shipped, "SF", "SF1")
    try:
        clock.advance(timedelta(days=11))
        order_clock.call_local()
    finally:
        clock.set_time(None)
    assert Order.objects.get(pk=unpaid.pk).status == Order.Status.CANCELLED
    assert Order.objects.get(pk=shipped.pk).status == Order.Status.SETTLED
