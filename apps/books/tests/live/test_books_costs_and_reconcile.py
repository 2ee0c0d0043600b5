"""On a live platform: an order's lines reach the app (the orders API), the seller's SKU cost
turns each settlement into cost of goods, and the reconciliation page compares the books with
`GET /finance/balance`, pointing at a movement the app has not booked yet."""

import re
from decimal import Decimal

import httpx
import pytest
from emporium_books import books, cogs
from emporium_books.web import PURPOSE
from emporium_sdk.viewpass import issue_pass

from emporium.events import dispatcher
from emporium.finance.wallets import withdraw

pytestmark = pytest.mark.django_db(transaction=True)


def figures(text: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', text))


def test_cost_of_goods_and_reconciliation_against_the_platform(
    item, order_in, seller, shop, request
):
    sku = item.skus.first()
    order_in(sku, "settled")
    app = request.getfixturevalue("books_app")
    shop_id = str(shop.public_id)
    app.catch_up(shop_id)  # reads the orders, then the balance transactions
    [sold] = cogs.skus(app.store, shop_id)
    assert (sold.sku_id, sold.sold, sold.cost) == (sku.pk, 1, None)

    view_pass = issue_pass(shop_id, app.config.client_secret, purpose=PURPOSE)
    page = httpx.Client(base_url=app.config.public_url, timeout=30)
    page.post("/costs", data={"pass": view_pass, f"sku_{sku.pk}": "80.00"}).raise_for_status()
    balances = app.store.balances(shop_id)
    assert balances[cogs.COGS] == Decimal("80.00") == -balances[cogs.INVENTORY]

    # A second sale after the install reaches the app by webhooks only: the order's lines with
    # `order.paid`, then the settlement, which books its cost at once.
    order_in(sku, "settled")
    dispatcher.run_once()
    [sold] = cogs.skus(app.store, shop_id)
    assert sold.sold == 2
    balances = app.store.balances(shop_id)
    assert balances[cogs.COGS] == Decimal("160.00")
    assert balances[books.PLATFORM_BALANCE] == Decimal("378.10")

    agreed = figures(page.get("/reconcile", params={"pass": view_pass}).text)
    assert agreed == {"books": "378.10", "platform": "378.10", "difference": "0.00"}

    # A withdrawal the app has not heard of yet (no webhook delivered, no catch-up run).
    withdraw(seller, "50.00", "6222 0000")
    text = page.get("/reconcile", params={"pass": view_pass}).text
    assert figures(text) == {"books": "378.10", "platform": "328.10", "difference": "50.00"}
    assert re.search(r"<td>btx_\d+</td><td>withdrawal</td><td class=\"num\">-50.00</td>", text)

    app.catch_up(shop_id)
    assert app.store.balances(shop_id)[books.PLATFORM_BALANCE] == Decimal("328.10")
    assert figures(page.get("/reconcile", params={"pass": view_pass}).text)["difference"] == "0.00"
    page.close()


def test_the_demo_statement_is_a_gbk_alipay_file_the_app_reads():
    from datetime import date

    from emporium_books import statements

    from emporium.demo.books_app import MONTH, statement

    read = statements.read(statement(date(2026, 6, 15)))
    assert read.encoding == "gbk" and not read.errors
    assert len(read.rows) == 3 * len(MONTH)  # the three months before this one
    assert {row.day[:7] for row in read.rows} == {"2026-03", "2026-04", "2026-05"}
