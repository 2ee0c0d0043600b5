"""The seller's private memo on an order: trimmed, bounded, outside the state machine."""

import pytest

from emporium.trade import orders
from emporium.trade.models import Order
from emporium.trade.states import TradeError


def test_the_seller_writes_a_memo_without_touching_the_status(funded_buyer, item, place_order):
    (order,) = place_order(funded_buyer, (item.skus.first(), 1))
    orders.write_memo(order, "  gift wrap, red ribbon  ")
    order.refresh_from_db()
    assert (order.seller_memo, order.status) == (
        "gift wrap, red ribbon",
        Order.Status.PENDING_PAYMENT,
    )


def test_a_memo_too_long_is_refused_and_changes_nothing(funded_buyer, item, place_order):
    (order,) = place_order(funded_buyer, (item.skus.first(), 1))
    with pytest.raises(TradeError) as refused:
        orders.write_memo(order, "x" * 501)
    assert (refused.value.code, refused.value.field) == ("memo_too_long", "seller_memo")
    order.refresh_from_db()
    assert order.seller_memo == ""
