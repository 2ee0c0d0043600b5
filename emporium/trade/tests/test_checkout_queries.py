"""Checkout costs a fixed number of queries per order plus the stock reservation of each line."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emporium.catalog.models import Sku
from emporium.trade import orders
from emporium.trade.cart import add_to_cart
from emporium.trade.models import Cart, Order

# One order of one line: the SKUs with item, shop and category (one read for all lines); flash
# sales, discounts and spend-and-save offers (the quote); the reservation; one look for an
# installed app; the order, its lines and log; the cart lines bought; the savepoint and release.
ONE_LINE = 14
# Each further line: its conditional stock update and the item's stock, nothing else.
PER_LINE = 2


def test_checkout_costs_a_fixed_number_of_queries_plus_each_lines_reservation(
    funded_buyer, address, shop, make_item, django_assert_num_queries
):
    for lines in (1, 3):
        skus = [make_item(shop, title=f"Dress {lines}.{n}").skus.get() for n in range(lines)]
        with django_assert_num_queries(ONE_LINE + PER_LINE * (lines - 1)):
            placed = orders.checkout(funded_buyer, address, [(sku, 1) for sku in skus])
        assert [order.lines.count() for order in placed] == [lines]


# A buyer refused because the unit sold out while they looked: the session and the member, the
# cart's lines read once (SKU, item, shop, category) and the header's seller check. Nothing is
# buyable, so no coupons and no pricing (the sold-out line is shown with its problem, outside
# the total); the refusal comes before the address is read, and the header's categories are
# kept from the page the buyer loaded (storefront/shared.py, steady_part). Under a rush of
# buyers most attempts are such refusals (docs/performance.md).
REFUSED_PAGE = 4


def test_a_sold_out_refusal_shows_the_checkout_page_again_reading_the_cart_once(
    client, funded_buyer, address, shop, make_item, django_assert_num_queries
):
    client.force_login(funded_buyer)
    sku = make_item(shop, title="Last sneaker", price="399.00").skus.get()
    add_to_cart(Cart.objects.create(member=funded_buyer), sku, 2)
    client.get(reverse("trade:checkout"))  # what the buyer saw; then the stock sold out
    Sku.objects.filter(pk=sku.pk).update(stock=0)
    with django_assert_num_queries(REFUSED_PAGE):
        page = client.post(
            reverse("trade:checkout"), {"address": address.pk, "expected_total": "798.00"}
        )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Not enough stock left of “Last sneaker”." in text
    assert "Out of stock." in text and "¥798.00" not in text, "shown with its problem, unpriced"
    assert '<span class="badge" data-testid="cart-count">2</span>' in text
    assert not Order.objects.filter(buyer=funded_buyer).exists()


def test_a_sold_out_refusal_names_the_item_before_asking_for_an_address(
    client, funded_buyer, shop, make_item
):
    client.force_login(funded_buyer)
    sku = make_item(shop, title="Last sneaker", price="399.00").skus.get()
    add_to_cart(Cart.objects.create(member=funded_buyer), sku, 1)
    Sku.objects.filter(pk=sku.pk).update(stock=0)
    page = client.post(reverse("trade:checkout"), {"expected_total": "399.00"})
    text = page.content.decode()
    assert "Not enough stock left of “Last sneaker”." in text
    assert "Choose a shipping address." not in text


def test_a_payment_reads_its_orders_lines_once(funded_buyer, address, shop, other_shop, make_item):
    skus = [make_item(s, title=f"Dress {n}").skus.get() for n, s in enumerate((shop, other_shop))]
    placed = orders.checkout(funded_buyer, address, [(sku, 1) for sku in skus])
    with CaptureQueriesContext(connection) as seen:
        orders.pay(funded_buyer, placed)
    reads = [q for q in seen.captured_queries if q["sql"].startswith('SELECT "trade_orderline"')]
    assert len(reads) == 1, "one read for every order's lines, before the write transaction"
    assert all(order.status == Order.Status.PAID for order in placed)
