"""Refunds before and after shipping, full and partial, refused, disputed and arbitrated."""

from datetime import timedelta
from decimal import Decimal

import pytest

from emporium.finance import ledger
from emporium.lib.money import FloatRefused
from emporium.trade import orders, refunds
from emporium.trade.models import Order, Refund
from emporium.trade.states import TradeError

S = Order.Status


@pytest.fixture
def paid_order(funded_buyer, shop, make_item, place_order):
    (order,) = place_order(funded_buyer, (make_item(shop, price="300.00", stock=5).skus.get(), 1))
    orders.pay(funded_buyer, [order])
    return order


def wallet_of(member) -> Decimal:
    return ledger.balance_of(f"wallet:{member.pk}")


def test_a_full_refund_before_shipping_cancels_and_restocks(
    paid_order, funded_buyer, books_balance
):
    refund = refunds.request_refund(paid_order, funded_buyer, Decimal("300.00"), "Changed my mind")
    refunds.agree(refund)
    paid_order.refresh_from_db()
    assert paid_order.status == S.CANCELLED
    assert wallet_of(funded_buyer) == Decimal("10000.00")
    assert paid_order.lines.get().sku.stock == 5
    books_balance()


def test_a_partial_refund_after_shipping_settles_the_rest(
    paid_order, funded_buyer, seller, books_balance
):
    orders.ship(paid_order, "SF", "SF1")
    refund = refunds.request_refund(
        paid_order, funded_buyer, Decimal("100.00"), "A button is missing"
    )
    orders.confirm_receipt(paid_order)
    paid_order.refresh_from_db()
    assert paid_order.status == S.COMPLETED, "an open refund holds settlement back"
    books_balance()

    refunds.agree(refund)
    paid_order.refresh_from_db()
    assert paid_order.status == S.SETTLED
    assert paid_order.refunded_amount == Decimal("100.00")
    assert paid_order.commission_amount == Decimal("10.00")  # 5% of the 200.00 kept
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("190.00")
    assert wallet_of(funded_buyer) == Decimal("9800.00")
    books_balance()


def test_shipping_waits_for_an_open_refund(paid_order, funded_buyer):
    refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Wrong size ordered")
    with pytest.raises(TradeError) as refused:
        orders.ship(paid_order, "SF", "SF1")
    assert refused.value.code == "refund_open"


@pytest.mark.parametrize(
    ("amount", "reason", "code"),
    [
        (Decimal("0"), "x", "bad_amount"),
        (Decimal("300.01"), "x", "bad_amount"),
        (Decimal("1.001"), "x", "bad_amount"),
        (Decimal("10"), "   ", "reason_required"),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_saved(
    paid_order, funded_buyer, amount, reason, code
):
    with pytest.raises(TradeError) as refused:
        refunds.request_refund(paid_order, funded_buyer, amount, reason)
    assert refused.value.code == code
    assert Refund.objects.count() == 0


def test_only_one_request_at_a_time_and_only_by_the_buyer(paid_order, funded_buyer, other_seller):
    refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Late")
    with pytest.raises(TradeError, match="already open"):
        refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Late again")
    with pytest.raises(TradeError, match="not yours"):
        refunds.request_refund(paid_order, other_seller, Decimal("10.00"), "Not mine")


def test_a_refused_refund_can_go_to_the_operator_who_decides(
    paid_order, funded_buyer, books_balance
):
    refund = refunds.request_refund(paid_order, funded_buyer, Decimal("50.00"), "Stained")
    with pytest.raises(TradeError):
        refunds.refuse(refund, "  ")
    refund = refunds.refuse(refund, "It was clean when sent")
    refund = refunds.escalate(refund, funded_buyer)
    assert refund.status == Refund.Status.DISPUTED
    refund = refunds.arbitrate(refund, for_buyer=True, note="Photos show the stain")
    assert refund.status == Refund.Status.AGREED
    assert wallet_of(funded_buyer) == Decimal("9750.00")
    books_balance()


def test_a_ruling_for_the_seller_releases_settlement(
    paid_order, funded_buyer, seller, books_balance
):
    orders.ship(paid_order, "SF", "SF1")
    refund = refunds.request_refund(paid_order, funded_buyer, Decimal("50.00"), "Stained")
    orders.confirm_receipt(paid_order)
    refunds.escalate(refunds.refuse(refund, "Clean when sent"), funded_buyer)
    refunds.arbitrate(Refund.objects.get(pk=refund.pk), for_buyer=False, note="No evidence")
    paid_order.refresh_from_db()
    assert paid_order.status == S.SETTLED
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("285.00")
    books_balance()


def test_an_answered_refund_cannot_be_answered_twice(paid_order, funded_buyer):
    refund = refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Late")
    refunds.agree(refund)
    with pytest.raises(TradeError) as refused:
        refunds.agree(refund)
    assert refused.value.code == "refund_closed"
    paid_order.refresh_from_db()
    assert paid_order.refunded_amount == Decimal("10.00")


def test_a_settled_order_cannot_be_refunded_after_its_return_window(
    paid_order, funded_buyer, frozen_clock, books_balance
):
    orders.ship(paid_order, "SF", "SF1")
    orders.confirm_receipt(paid_order)
    frozen_clock.advance(orders.return_window())
    with pytest.raises(TradeError) as refused:
        refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Too late")
    assert refused.value.code == "return_window_closed"
    assert "closed on" in str(refused.value)
    assert orders.settle_fees() == 1
    with pytest.raises(TradeError) as still:
        refunds.request_refund(paid_order, funded_buyer, Decimal("10.00"), "Too late")
    assert still.value.code == "return_window_closed"
    books_balance()


def received(order):
    orders.ship(order, "SF", "SF1")
    orders.confirm_receipt(order)
    order.refresh_from_db()
    return order


def test_a_return_inside_the_window_reverses_the_settlement(
    paid_order, funded_buyer, seller, frozen_clock, books_balance
):
    """The seller was paid at receipt (285.00 of 300.00, 15.00 fee held); the buyer returns a
    part within the window: the seller pays it back less the fee's share, to the cent."""
    order = received(paid_order)
    assert order.status == S.SETTLED
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("285.00")
    frozen_clock.advance(orders.return_window() - timedelta(hours=1))
    refund = refunds.request_refund(order, funded_buyer, Decimal("100.01"), "Too small")
    assert orders.settle_fees() == 0, "an open return keeps the fee held past the window"
    refunds.agree(refund)
    order.refresh_from_db()
    # Kept 199.99: fee 5% = 10.00 (9.9995 half-up); 5.00 of the fee goes back to the seller.
    assert (order.status, order.refunded_amount, order.commission_amount) == (
        S.SETTLED, Decimal("100.01"), Decimal("10.00"),
    )  # fmt: skip
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("189.99")
    assert ledger.balance_of(ledger.HELD_COMMISSION) == Decimal("10.00")
    assert wallet_of(funded_buyer) == Decimal("9800.01")
    books_balance()
    frozen_clock.advance(timedelta(hours=2))
    assert orders.settle_fees() == 1
    assert ledger.balance_of(ledger.COMMISSION) == Decimal("10.00")
    assert ledger.balance_of(ledger.HELD_COMMISSION) == 0
    assert all(isinstance(v, Decimal) for v in (order.commission_amount, order.refunded_amount))
    books_balance()


def test_a_full_return_inside_the_window_cancels_and_gives_everything_back(
    paid_order, funded_buyer, seller, books_balance
):
    order = received(paid_order)
    item = order.lines.get().item
    item.refresh_from_db()
    assert item.sales_count == 1
    refund = refunds.request_refund(order, funded_buyer, Decimal("300.00"), "Not as pictured")
    refunds.agree(refund)
    order.refresh_from_db()
    item.refresh_from_db()
    assert (order.status, order.commission_amount, item.sales_count) == (S.CANCELLED, 0, 0)
    assert ledger.balance_of(f"seller:{seller.pk}") == 0
    assert ledger.balance_of(ledger.HELD_COMMISSION) == 0
    assert wallet_of(funded_buyer) == Decimal("10000.00")
    books_balance()


def test_a_return_the_seller_cannot_pay_back_is_refused_whole(
    paid_order, funded_buyer, seller, books_balance
):
    """Withdrawals keep back what returnable orders brought; an app charge since can still
    leave less. The refund then changes nothing, and says why."""
    from emporium.finance.ledger import Leg
    from emporium.finance.models import Posting

    order = received(paid_order)
    ledger.post(  # as an app charge of 280.00 would
        Posting.Reason.APP_CHARGE, "app-invoice:1",
        [Leg(ledger.seller_balance(seller), Decimal("-280.00")), Leg(ledger.app_revenue(), Decimal("280.00"))],
    )  # fmt: skip
    refund = refunds.request_refund(order, funded_buyer, Decimal("300.00"), "Broken")
    with pytest.raises(TradeError) as refused:
        refunds.agree(refund)
    assert refused.value.code == "seller_balance_short"
    refund.refresh_from_db()
    order.refresh_from_db()
    assert (refund.status, order.status, order.refunded_amount) == (
        Refund.Status.REQUESTED, S.SETTLED, 0,
    )  # fmt: skip
    books_balance()


def test_a_float_refund_amount_is_refused_with_a_clear_error(paid_order, funded_buyer):
    with pytest.raises(FloatRefused, match="never a float"):
        refunds.request_refund(paid_order, funded_buyer, 10.0, "Wrong size")
    assert Refund.objects.count() == 0
