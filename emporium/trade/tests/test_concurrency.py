"""Many buyers race for a few units with real threads and connections: exactly the stock is sold."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from emporium.catalog.models import Sku
from emporium.finance.wallets import fund_in_sandbox
from emporium.trade import orders
from emporium.trade.books import check_trading_books
from emporium.trade.models import Order
from emporium.trade.states import TradeError

BUYERS = 24
UNITS = 5


@pytest.mark.django_db(transaction=True)
def test_racing_buyers_never_oversell(shop, make_item, make_member_with_wallet, address_for):
    sku = make_item(shop, title="Last few", price="80.00", stock=UNITS).skus.get()
    buyers = [make_member_with_wallet(f"racer{i}", "500.00") for i in range(BUYERS)]
    addresses = {b.pk: address_for(b) for b in buyers}
    start = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(buyer):
        try:
            start.wait()
            (order,) = orders.checkout(buyer, addresses[buyer.pk], [(sku, 1)])
            orders.pay(buyer, [order])
            result = "bought"
        except TradeError as refused:
            result = refused.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == BUYERS
    assert outcomes.count("bought") == UNITS, outcomes
    assert set(outcomes) == {"bought", "out_of_stock"}
    assert Sku.objects.get(pk=sku.pk).stock == 0
    assert Order.objects.filter(status=Order.Status.PAID).count() == UNITS
    report = check_trading_books()
    assert report.ok, report.problems
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_two_payments_cannot_spend_one_wallet_twice(shop, make_item, buyer, address):
    first = make_item(shop, title="One", price="60.00").skus.get()
    second = make_item(shop, title="Two", price="60.00").skus.get()
    fund_in_sandbox(buyer, Decimal("100.00"))
    placed = [orders.checkout(buyer, address, [(sku, 1)])[0] for sku in (first, second)]
    start = threading.Barrier(2)
    outcomes = []

    def pay(order):
        try:
            start.wait()
            orders.pay(buyer, [order])
            outcomes.append("paid")
        except TradeError as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(o,)) for o in placed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["insufficient_funds", "paid"]
    assert check_trading_books().ok
