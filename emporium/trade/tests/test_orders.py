"""Checkout, payment into escrow, shipping, receipt and settlement, and the refusals between them."""

from datetime import timedelta
from decimal import Decimal

import pytest

from emporium.catalog.models import Sku
from emporium.finance import ledger
from emporium.finance.wallets import FinanceError, withdraw
from emporium.lib import clock
from emporium.trade import orders
from emporium.trade.models import Order
from emporium.trade.states import TradeError

S = Order.Status


def stock_of(sku: Sku) -> int:
    sku.refresh_from_db()
    return sku.stock


def test_checkout_makes_one_order_per_shop_and_reserves_stock(
    funded_buyer, shop, other_shop, make_item, place_order, phones
):
    dress = make_item(shop, price="100.00", stock=5).skus.get()
    phone = make_item(
        other_shop, title="Phone", price="900.00", stock=3, category=phones
    ).skus.get()
    placed = place_order(funded_buyer, (dress, 2), (phone, 1))

    assert sorted(o.shop.name for o in placed) == ["Mei's Closet", "Otto's Gadgets"]
    assert {o.total_amount for o in placed} == {Decimal("200.00"), Decimal("900.00")}
    assert all(o.status == S.PENDING_PAYMENT for o in placed)
    assert (stock_of(dress), stock_of(phone)) == (3, 2)
    dress.item.refresh_from_db()
    assert dress.item.stock == 3


def test_an_unavailable_line_refuses_the_whole_checkout(
    funded_buyer, shop, other_shop, make_item, place_order
):
    dress = make_item(shop, price="100.00", stock=5).skus.get()
    scarce = make_item(other_shop, title="Scarce", stock=1).skus.get()
    with pytest.raises(TradeError) as refused:
        place_order(funded_buyer, (dress, 2), (scarce, 2))
    assert refused.value.code == "out_of_stock"
    assert Order.objects.count() == 0
    assert (stock_of(dress), stock_of(scarce)) == (5, 1)


def test_a_seller_cannot_buy_from_their_own_shop(seller, shop, make_item, address):
    address.member = seller
    address.save()
    sku = make_item(shop).skus.get()
    with pytest.raises(TradeError, match="own shop"):
        orders.checkout(seller, address, [(sku, 1)])


def test_paying_moves_the_total_from_wallet_to_escrow(
    funded_buyer, shop, make_item, place_order, books_balance
):
    sku = make_item(shop, price="120.50").skus.get()
    (order,) = place_order(funded_buyer, (sku, 2))
    orders.pay(funded_buyer, [order])

    order.refresh_from_db()
    assert order.status == S.PAID and order.paid_at is not None
    assert ledger.balance_of(f"wallet:{funded_buyer.pk}") == Decimal("9759.00")
    assert ledger.balance_of(ledger.ESCROW) == Decimal("241.00")
    sku.item.refresh_from_db()
    assert sku.item.sales_count == 2
    books_balance()


def test_a_short_wallet_refuses_payment_and_changes_nothing(
    buyer, shop, make_item, place_order, books_balance
):
    sku = make_item(shop, price="50.00").skus.get()
    (order,) = place_order(buyer, (sku, 1))
    with pytest.raises(TradeError) as refused:
        orders.pay(buyer, [order])
    assert refused.value.code == "insufficient_funds"
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert ledger.balance_of(ledger.ESCROW) == 0
    books_balance()


@pytest.mark.parametrize("step", ["ship_unpaid", "confirm_unshipped", "pay_twice", "cancel_paid"])
def test_the_state_machine_refuses_steps_out_of_order(
    step, funded_buyer, shop, make_item, place_order
):
    (order,) = place_order(funded_buyer, (make_item(shop).skus.get(), 1))
    with pytest.raises(TradeError) as refused:
        if step == "ship_unpaid":
            orders.ship(order, "SF Express", "SF123")
        elif step == "confirm_unshipped":
            orders.pay(funded_buyer, [order])
            orders.confirm_receipt(order)
        elif step == "pay_twice":
            orders.pay(funded_buyer, [order])
            orders.pay(funded_buyer, [Order.objects.get(pk=order.pk)])
        else:
            orders.pay(funded_buyer, [order])
            orders.cancel_unpaid(order, "buyer")
    assert refused.value.code in {"invalid_transition", "not_cancellable"}


def test_the_whole_trade_pays_the_seller_price_minus_commission(
    funded_buyer, seller, shop, make_item, place_order, books_balance, frozen_clock
):
    sku = make_item(shop, price="200.00").skus.get()  # dresses: 5% commission
    (order,) = place_order(funded_buyer, (sku, 1))
    orders.pay(funded_buyer, [order])
    orders.ship(order, "SF Express", "SF1234567")
    orders.confirm_receipt(order)

    order.refresh_from_db()
    assert order.status == S.SETTLED
    assert order.commission_amount == Decimal("10.00")
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("190.00")
    # The fee is held while the buyer may still return the dress, then it is the platform's.
    assert ledger.balance_of(ledger.HELD_COMMISSION) == Decimal("10.00")
    assert ledger.balance_of(ledger.COMMISSION) == 0
    assert ledger.balance_of(ledger.ESCROW) == 0
    assert [(e.from_status, e.to_status) for e in order.log.all()] == [
        ("", "pending_payment"), ("pending_payment", "paid"), ("paid", "shipped"),
        ("shipped", "completed"), ("completed", "settled"),
    ]  # fmt: skip
    books_balance()
    clock.advance(orders.return_window() - timedelta(minutes=1))
    assert orders.settle_fees() == 0, "the window is still open"
    clock.advance(timedelta(minutes=1))
    assert orders.settle_fees() == 1
    assert ledger.balance_of(ledger.HELD_COMMISSION) == 0
    assert ledger.balance_of(ledger.COMMISSION) == Decimal("10.00")
    books_balance()


def test_shipping_needs_a_carrier_and_tracking_number(funded_buyer, shop, make_item, place_order):
    (order,) = place_order(funded_buyer, (make_item(shop).skus.get(), 1))
    orders.pay(funded_buyer, [order])
    with pytest.raises(TradeError) as refused:
        orders.ship(order, "SF Express", "  ")
    assert refused.value.field == "tracking_number"
    order.refresh_from_db()
    assert order.status == S.PAID


def test_unpaid_orders_cancel_themselves_after_30_minutes(
    frozen_clock, funded_buyer, shop, make_item, place_order
):
    sku = make_item(shop, stock=4).skus.get()
    (order,) = place_order(funded_buyer, (sku, 3))
    frozen_clock.advance(timedelta(minutes=29))
    assert orders.cancel_overdue_orders() == 0
    frozen_clock.advance(timedelta(minutes=1))
    assert orders.cancel_overdue_orders() == 1

    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_reason == "not paid in time"
    assert stock_of(sku) == 4
    with pytest.raises(TradeError):
        orders.pay(funded_buyer, [order])


def test_an_expired_order_cannot_be_paid_before_the_worker_cancels_it(
    frozen_clock, funded_buyer, shop, make_item, place_order
):
    (order,) = place_order(funded_buyer, (make_item(shop).skus.get(), 1))
    frozen_clock.advance(timedelta(minutes=31))
    with pytest.raises(TradeError) as refused:
        orders.pay(funded_buyer, [order])
    assert refused.value.code == "expired"


def test_shipped_orders_complete_and_settle_after_ten_days(
    frozen_clock, funded_buyer, seller, shop, make_item, place_order, settings, books_balance
):
    (order,) = place_order(funded_buyer, (make_item(shop, price="100.00").skus.get(), 1))
    orders.pay(funded_buyer, [order])
    orders.ship(order, "ZTO", "ZT1")
    frozen_clock.advance(timedelta(days=9, hours=23))
    assert orders.complete_overdue_shipments() == 0
    frozen_clock.advance(timedelta(hours=1))
    assert orders.complete_overdue_shipments() == 1
    order.refresh_from_db()
    assert order.status == S.SETTLED
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("95.00")
    books_balance()


def test_the_confirm_period_is_configurable(
    frozen_clock, funded_buyer, shop, make_item, place_order, settings
):
    settings.ORDER_AUTO_CONFIRM_DAYS = 3
    (order,) = place_order(funded_buyer, (make_item(shop).skus.get(), 1))
    orders.pay(funded_buyer, [order])
    orders.ship(order, "ZTO", "ZT1")
    frozen_clock.advance(timedelta(days=3))
    assert orders.complete_overdue_shipments() == 1


def test_a_seller_withdraws_no_more_than_the_balance(
    funded_buyer, seller, shop, make_item, place_order, books_balance, frozen_clock
):
    (order,) = place_order(funded_buyer, (make_item(shop, price="100.00").skus.get(), 1))
    orders.pay(funded_buyer, [order])
    orders.ship(order, "ZTO", "ZT1")
    orders.confirm_receipt(order)
    with pytest.raises(FinanceError) as kept:
        withdraw(seller, Decimal("1.00"), "6222 0000 1111")
    assert kept.value.code == "in_return_window", "a return could still need it"
    assert "¥95.00 of your balance" in str(kept.value)
    frozen_clock.advance(orders.return_window())
    orders.settle_fees()
    with pytest.raises(FinanceError) as refused:
        withdraw(seller, Decimal("95.01"), "6222 0000 1111")
    assert refused.value.code == "insufficient_funds"
    withdraw(seller, Decimal("95.00"), "6222 0000 1111")
    assert ledger.balance_of(f"seller:{seller.pk}") == 0
    books_balance()
