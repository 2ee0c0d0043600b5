"""Checkout costs a fixed number of queries per order plus the stock reservation of each line."""

from emporium.trade import orders

# One order of one line: the SKU with item, shop and category; flash sales, discounts and
# spend-and-save offers (the quote); the reservation; the order, its lines and log; the
# cart lines bought; the savepoint and its release.
ONE_LINE = 15
# Each further line: the SKU read again (orders.checkout reads the wanted SKUs one by one), its
# conditional stock update, the item's stock, the new stock read back for item.stock_changed,
# and announce's look for an installed app. Only the two updates need to be per line: reading
# the SKUs at once and looking for apps once per shop would make this 2.
PER_LINE = 5


def test_checkout_costs_a_fixed_number_of_queries_plus_each_lines_reservation(
    funded_buyer, address, shop, make_item, django_assert_num_queries
):
    for lines in (1, 3):
        skus = [make_item(shop, title=f"Dress {lines}.{n}").skus.get() for n in range(lines)]
        with django_assert_num_queries(ONE_LINE + PER_LINE * (lines - 1)):
            placed = orders.checkout(funded_buyer, address, [(sku, 1) for sku in skus])
        assert [order.lines.count() for order in placed] == [lines]
