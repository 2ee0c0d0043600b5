"""Property: whatever the platform does to a shop's balance, once the app catches up its books
balance, its platform-balance and escrow accounts equal the platform's balance and escrow, its
commission account (month by month, in China's days) equals the platform's fees net of what
returns gave back, a replay of every webhook changes nothing, and the export passes bean-check —
across China's month boundary too."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from emporium_books import books
from emporium_books.export import beancount
from emporium_books.reports import profit_and_loss
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_books_rules import bean_check

from emporium.events import dispatcher, endpoints
from emporium.events.models import Delivery
from emporium.finance import ledger
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting
from emporium.finance.wallets import withdraw
from emporium.fixtures import past_return_window
from emporium.lib import clock
from emporium.trade import orders, refunds

pytestmark = pytest.mark.django_db(transaction=True)
CHINA = ZoneInfo("Asia/Shanghai")  # the seller's days, computed here apart from the app's
# 20:00 on 31 May in China: the first step (1–30 hours later) may still be May's, later ones June's.
START = datetime(2026, 5, 31, 12, tzinfo=UTC)

STEPS = st.lists(
    st.tuples(
        st.sampled_from(["settle", "pay", "refund_before_settlement", "return_after_settlement",
                         "app_charge", "app_credit", "withdraw"]),
        st.integers(min_value=1, max_value=30),  # hours until the step
    ),
    min_size=1,
    max_size=8,
)  # fmt: skip


def apply(step: str, shop, seller, developer, sku, order_in, funded_buyer) -> None:
    if step == "settle":
        order_in(sku, "settled")
    elif step == "pay":
        order_in(sku, "paid")
    elif step == "refund_before_settlement":
        order = order_in(sku, "shipped")
        refund = refunds.request_refund(order, funded_buyer, Decimal("50.00"), "too small")
        refunds.agree(refund)
    elif step == "return_after_settlement":
        # Inside the return window the money comes back out of the seller's balance (a
        # `refund` movement), escrow having been released by the settlement.
        order = order_in(sku, "shipped")
        orders.confirm_receipt(order)  # settled at once, its fee held while the window is open
        order.refresh_from_db()
        refund = refunds.request_refund(order, funded_buyer, Decimal("30.00"), "wrong size")
        refunds.agree(refund)
        past_return_window(order)  # then the window closes and the platform takes its fee
    elif step in ("app_charge", "app_credit"):
        amount = Decimal("9.90") if step == "app_credit" else Decimal("-9.90")
        seller_leg, developer_leg = (
            ledger.seller_balance(shop.owner),
            ledger.developer_payable(developer),
        )
        # A charge needs the seller's money; a credit gives back what an earlier charge paid.
        if (seller_leg if amount < 0 else developer_leg).balance < abs(amount):
            return
        ledger.post(Posting.Reason.APP_CHARGE, "app-invoice:test",
                    [Leg(seller_leg, amount), Leg(developer_leg, -amount)],
                    memo="Stats: a month")  # fmt: skip
    elif step == "withdraw":
        held = ledger.balance_of(ledger.seller_code(seller))
        if held >= Decimal("1.00"):
            withdraw(seller, min(held, Decimal("120.00")), "6222 0000")


# 21:00 on 31 May in China for the first, 05:00 on 1 June for the last: fees in both months.
FIXED = [
    ("return_after_settlement", 1),
    ("refund_before_settlement", 1),
    ("pay", 1),
    ("withdraw", 2),
    ("return_after_settlement", 3),
    ("settle", 1),
]


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
# Always tried, whatever the draw: two returns after settlement (each inside its window, then
# the window closed and the fee taken), next to a refund before settlement, a withdrawal and an
# order still in escrow.
@example(steps=FIXED)
def test_the_books_always_agree_with_the_platform(
    steps, request, shop, seller, developer, item, order_in, funded_buyer, tmp_path
):
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    sku = item.skus.first()
    sku.stock = 10_000
    sku.save()
    type(item).objects.filter(pk=item.pk).update(stock=10_000)  # examples share the database
    with app.client(shop_id) as client:  # so do the movements: count this example's returns
        returns_before = [m.type for m in client.finance.list_balance_transactions(limit=100)]
    clock.set_time(START)  # the steps cross into June in China's days
    try:
        for step, hours in steps:
            clock.advance(timedelta(hours=hours))
            apply(step, shop, seller, developer, sku, order_in, funded_buyer)
    finally:
        clock.set_time(None)
    dispatcher.run_once()
    app.catch_up(shop_id)
    balances = app.store.balances(shop_id)
    with app.client(shop_id) as client:
        reported = client.finance.get_balance()
        movements = list(client.finance.list_balance_transactions(limit=100))
        fees = sum(Decimal(f.amount.amount) for f in client.finance.list_fees(limit=100))
    kinds = [m.type for m in movements]
    # each return after settlement came out of the seller's balance, as a movement of its own
    returned = kinds.count("refund") - returns_before.count("refund")
    assert returned == [s for s, _h in steps].count("return_after_settlement"), kinds
    assert balances.get(books.PLATFORM_BALANCE, Decimal("0.00")) == Decimal(
        reported.available.amount
    )
    assert balances.get(books.ESCROW, Decimal("0.00")) == Decimal(reported.escrow.amount)
    assert sum(balances.values()) == 0
    # The fee a return gave back leaves the commission account: what is left is the platform's
    # fees on what sellers kept (`/finance/fees`), and each month (China's) has its own share.
    assert balances.get(books.COMMISSION, Decimal("0.00")) == fees
    by_month = commission_by_month(app.store, shop_id)
    assert by_month == fees_by_month(movements)
    if steps == FIXED:
        assert {"2026-05", "2026-06"} <= set(by_month), by_month
    assert balances.get(books.REFUNDS, Decimal("0.00")) == sum(
        (Decimal(m.gross.amount) for m in movements if m.type == "refund"), Decimal("0.00")
    )
    for delivery in Delivery.objects.filter(event__topic="balance.transaction_created"):
        endpoints.replay(delivery)
    assert app.store.balances(shop_id) == balances
    bean_check(tmp_path, beancount(app.store, shop_id))


def commission_by_month(store, shop_id: str) -> dict[str, Decimal]:
    pnl = profit_and_loss(store, shop_id, book="business")
    return {m.month: m.lines[books.COMMISSION] for m in pnl.months if books.COMMISSION in m.lines}


def fees_by_month(movements) -> dict[str, Decimal]:
    """The platform's fees taken at settlement less those given back by returns, per month of
    the movement in China's days."""
    months: dict[str, Decimal] = {}
    for m in movements:
        if m.type in ("settlement", "refund") and m.commission is not None:
            month = m.created_at.astimezone(CHINA).strftime("%Y-%m")
            sign = 1 if m.type == "settlement" else -1
            months[month] = months.get(month, Decimal("0.00")) + sign * Decimal(m.commission.amount)
    return months
