"""Checkout costs a fixed number of queries per order plus the stock reservation of each line."""

from emporium.trade import orders

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
