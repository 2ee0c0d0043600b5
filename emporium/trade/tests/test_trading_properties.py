"""Random sequences of order actions never unbalance the books, oversell, or misprice an order."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emporium.catalog.models import Sku
from emporium.lib import clock
from emporium.promotions import activities
from emporium.trade import orders, refunds
from emporium.trade.books import check_trading_books
from emporium.trade.models import Order, Refund
from emporium.trade.states import TradeError

STOCK = 4
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

checkout = st.tuples(st.just("checkout"), st.integers(0, 1), st.integers(0, 2), st.integers(1, 3))
action = st.one_of(
    checkout,
    checkout,
    st.tuples(st.just("pay"), st.integers(0, 9)),
    st.tuples(st.just("ship"), st.integers(0, 9)),
    st.tuples(st.just("pay"), st.integers(0, 9)),
    st.tuples(st.just("ship"), st.integers(0, 9)),
    st.tuples(st.just("confirm"), st.integers(0, 9)),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
    st.tuples(st.just("refund"), st.integers(0, 9), st.sampled_from(["0.25", "0.5", "1"])),
    st.tuples(
        st.just("answer"),
        st.integers(0, 9),
        st.sampled_from(["agree", "refuse", "escalate", "rule"]),
    ),
    st.tuples(st.just("wait"), st.sampled_from([10, 40, 60 * 24 * 11])),
)


@pytest.fixture
def market(shop, make_item, make_member_with_wallet, address_for):
    clock.set_time(START)
    skus = [
        make_item(shop, title="Dress", price="199.90", stock=STOCK).skus.get(),
        make_item(shop, title="Coat", price="350.00", stock=STOCK).skus.get(),
        make_item(shop, title="Scarf", price="45.50", stock=STOCK).skus.get(),
    ]
    week = {"starts_at": START - timedelta(days=1), "ends_at": START + timedelta(days=30)}
    activities.create_discount(
        shop, name="Ten", percent_off=Decimal("10"), items=[skus[0].item], **week
    )
    activities.create_threshold(
        shop, name="300-30", min_spend=Decimal("300"), amount_off=Decimal("30"), **week
    )
    buyers = [make_member_with_wallet(name, "2000.00") for name in ("ann", "ben")]
    yield skus, buyers, {b.pk: address_for(b) for b in buyers}
    clock.set_time(None)


# Each action mostly targets an order in the status it expects, so runs reach deep states;
# an odd index targets any order, so refused transitions are exercised too.
NATURAL = {
    "pay": ["pending_payment"],
    "cancel": ["pending_payment"],
    "ship": ["paid"],
    "confirm": ["shipped"],
    "refund": ["paid", "shipped", "completed"],
}


def _picker(kind):
    everything = list(Order.objects.order_by("id"))
    fitting = [o for o in everything if o.status in NATURAL.get(kind, [])]

    def pick(i):
        pool = fitting if fitting and i % 3 else everything
        return pool[i % len(pool)]

    return pick if everything else None


def _run(step, skus, buyers, addresses):
    kind = step[0]
    pick = _picker(kind)
    if kind == "checkout":
        buyer = buyers[step[1]]
        orders.checkout(buyer, addresses[buyer.pk], [(skus[step[2]], step[3])])
    elif kind == "wait":
        clock.advance(timedelta(minutes=step[1]))
        orders.cancel_overdue_orders()
        orders.complete_overdue_shipments()
    elif pick is None:
        return
    elif kind == "pay":
        order = pick(step[1])
        orders.pay(order.buyer, [order])
    elif kind == "ship":
        orders.ship(pick(step[1]), "SF", "SF1")
    elif kind == "confirm":
        orders.confirm_receipt(pick(step[1]))
    elif kind == "cancel":
        orders.cancel_unpaid(pick(step[1]), "buyer")
    elif kind == "refund":
        order = pick(step[1])
        amount = ((order.total_amount - order.refunded_amount) * Decimal(step[2])).quantize(
            Decimal("0.01")
        )
        refunds.request_refund(order, order.buyer, amount, "reason")
    elif kind == "answer":
        refund = Refund.objects.filter(status__in=Refund.OPEN).order_by("id").first()
        if refund is None:
            return
        {
            "agree": lambda: refunds.agree(refund),
            "refuse": lambda: refunds.refuse(refund, "no"),
            "escalate": lambda: refunds.escalate(refund, refund.order.buyer),
            "rule": lambda: refunds.arbitrate(refund, for_buyer=step[1] % 2 == 0, note="ruling"),
        }[step[2]]()


def _check_invariants(skus):
    report = check_trading_books()
    assert report.ok, report.problems
    for sku in Sku.objects.filter(pk__in=[s.pk for s in skus]):
        assert sku.stock >= 0
        assert sku.stock + _units_held(sku) == STOCK, (
            "every unit is either on the shelf or in a live order"
        )
    for order in Order.objects.prefetch_related("lines"):
        lines = list(order.lines.all())
        assert order.total_amount == order.items_amount - order.discount_amount
        assert order.total_amount == sum(line.total_amount for line in lines)
        assert order.items_amount == sum(line.unit_price * line.quantity for line in lines)
        assert Decimal("0") <= order.refunded_amount <= order.total_amount


def _units_held(sku) -> int:
    from emporium.trade.models import OrderLine

    live = OrderLine.objects.filter(sku=sku).exclude(
        order__status=Order.Status.CANCELLED, order__paid_at__isnull=True
    )
    # A paid order cancelled by a full refund before shipping put its units back; after
    # shipping, the units left with the parcel.
    live = live.exclude(order__status=Order.Status.CANCELLED, order__shipped_at__isnull=True)
    return live.aggregate(n=Sum("quantity"))["n"] or 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(action, min_size=10, max_size=40))
def test_any_sequence_of_actions_keeps_the_books_and_the_stock(market, steps):
    skus, buyers, addresses = market
    clock.set_time(START)
    with transaction.atomic():
        for step in steps:
            try:
                with transaction.atomic():
                    _run(step, skus, buyers, addresses)
            except TradeError:
                pass  # a refusal is a legal outcome; it must leave nothing behind
            _check_invariants(skus)
        transaction.set_rollback(True)
