"""The books keep themselves on a live platform: backfill on install, then webhooks; a replay
never doubles a figure and the platform-balance account equals what the platform reports."""

from decimal import Decimal

import pytest
from emporium_books import books

from emporium.events import dispatcher, endpoints
from emporium.events.models import Delivery
from emporium.finance.wallets import withdraw

pytestmark = pytest.mark.django_db(transaction=True)


def platform_balance(app, shop_id: str) -> Decimal:
    with app.client(shop_id) as client:
        return Decimal(client.finance.get_balance().available.amount)


def test_history_is_backfilled_then_webhooks_follow_and_a_replay_changes_nothing(
    item, order_in, seller, shop, request
):
    sku = item.skus.first()
    order_in(sku, "settled")  # history from before the install
    withdraw(seller, "50.00", "6222 0000")
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    app.catch_up(shop_id)  # what the install started in the background, finished here
    assert app.store.balances(shop_id)[books.PLATFORM_BALANCE] == Decimal("139.05")

    order_in(sku, "settled")
    withdraw(seller, "100.00", "6222 0000")
    dispatcher.run_once()
    balances = app.store.balances(shop_id)
    assert balances[books.PLATFORM_BALANCE] == platform_balance(app, shop_id) == Decimal("228.10")
    assert balances[books.BANK] == Decimal("150.00")
    assert sum(balances.values()) == 0

    # Every webhook again, and the catch-up again: nothing is booked twice.
    delivered = Delivery.objects.filter(event__topic__startswith="balance.")
    assert delivered.count() >= 3
    for delivery in delivered:
        assert endpoints.replay(delivery).ok
    app.catch_up(shop_id)
    assert app.store.balances(shop_id) == balances
    sources = [txn.source for txn in app.store.transactions(shop_id)]
    assert len([s for s in sources if s.startswith("btx_")]) == 4  # 2 settlements, 2 withdrawals
    assert len([s for s in sources if s.startswith("escrow:")]) == 2  # the 2 orders' payments
    assert len(sources) == 6


def test_the_export_downloads_with_the_view_pass_and_passes_bean_check(
    item, order_in, shop, request, tmp_path
):
    import httpx
    from emporium_books.web import PURPOSE
    from emporium_sdk.viewpass import issue_pass
    from test_books_rules import bean_check

    order_in(item.skus.first(), "settled")
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    app.catch_up(shop_id)
    url = f"{app.config.public_url}/export.beancount"
    view_pass = issue_pass(shop_id, app.config.client_secret, purpose=PURPOSE)
    text = httpx.get(url, params={"pass": view_pass}, timeout=30).text
    bean_check(tmp_path, text)
    assert "Income:Business:Sales  -199.00 CNY" in text
    assert httpx.get(url, params={"pass": "forged"}, timeout=30).status_code == 401


def test_escrow_in_the_books_equals_the_platforms_through_payments_refunds_and_settlement(
    item, order_in, shop, funded_buyer, request
):
    from emporium.trade import orders, refunds

    sku = item.skus.first()
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    order_in(sku, "paid")  # held in escrow
    shipped = order_in(sku, "shipped")
    refund = refunds.request_refund(shipped, funded_buyer, Decimal("50.00"), "a loose thread")
    refunds.agree(refund)  # 50 leaves escrow before settlement
    order_in(sku, "settled")  # in and out again
    received = order_in(sku, "shipped")
    orders.confirm_receipt(received)  # settled, its 9.95 fee held while the window is open
    received.refresh_from_db()
    # returned inside the window, out of the balance: 100.00 back, 5.00 of the fee with it
    refunds.agree(refunds.request_refund(received, funded_buyer, Decimal("100.00"), "too big"))
    dispatcher.run_once()
    app.catch_up(shop_id)
    balances = app.store.balances(shop_id)
    with app.client(shop_id) as client:
        reported = client.finance.get_balance()
    assert balances[books.ESCROW] == Decimal(reported.escrow.amount) == Decimal("348.00")
    assert (balances[books.REFUNDS], balances[books.COMMISSION]) == (
        Decimal("100.00"), Decimal("14.90"),  # 9.95 + 9.95 - 5.00
    )  # fmt: skip
    assert balances[books.PLATFORM_BALANCE] == Decimal(reported.available.amount)
    assert balances[books.BUYER_PAYMENTS] == -balances[books.ESCROW]
    assert sum(balances.values()) == 0
    app.catch_up(shop_id)  # again: nothing moves
    assert app.store.balances(shop_id) == balances
