"""A bulk edit in a shop an app listens to costs a fixed number of queries, however many items.

The count is the one the bulk edit should cost once events/announce.py tells apps of a bulk
change in one go (one look for installed apps, one read of the items with what their payload
shows, one INSERT per kind of event); today announce looks and writes once per item and per SKU
(20 and 40 queries for 2 and 6 items' prices, 28 and 64 for their stock).
"""

from decimal import Decimal

import pytest

from emporium.catalog import services as catalog
from emporium.events.models import Event
from emporium.storefront import pagecache

# The savepoint of bulk_edit_items; the items counted; their SKU ids; bulk_edit's savepoint;
# the SKUs locked; the SKUs updated; the items' price and stock refreshed; the changed items
# read for announce; one look for installed apps; the items with their category, SKUs and
# pictures (item_out); one INSERT of the item.updated events; the two releases.
# And the storefront's page version, set once by the transaction's first write
# (storefront/pagecache.py; the tests read it first, as a visitor's page view would, since the
# whole test is one transaction whose set-up has already set it).
PRICE_EDIT = 15 + 1
# The same, and the item.stock_changed events of the batch: one look for installed apps and one
# INSERT (bulk_edit then calls one batch function of announce instead of stock_changed per SKU).
STOCK_EDIT = 17 + 1


def items_of(shop, make_item, n: int) -> list[int]:
    return [
        make_item(shop, title=f"Dress {n}.{i}", options={"Size": ["S", "M"]}).pk for i in range(n)
    ]


@pytest.mark.parametrize("n", [2, 6])
def test_a_bulk_price_edit_costs_a_fixed_number_of_queries(
    installation, shop, make_item, django_assert_num_queries, n
):
    ids = items_of(shop, make_item, n)
    Event.objects.all().delete()
    pagecache.current_version()
    with django_assert_num_queries(PRICE_EDIT):
        assert catalog.bulk_edit_items(shop, ids, price=Decimal("99.00")) == 2 * n
    assert Event.objects.filter(topic="item.updated").count() == n


@pytest.mark.parametrize("n", [2, 6])
def test_a_bulk_stock_edit_costs_a_fixed_number_of_queries(
    installation, shop, make_item, django_assert_num_queries, n
):
    ids = items_of(shop, make_item, n)
    Event.objects.all().delete()
    pagecache.current_version()
    with django_assert_num_queries(STOCK_EDIT):
        assert catalog.bulk_edit_items(shop, ids, stock=3) == 2 * n
    assert Event.objects.filter(topic="item.updated").count() == n
    assert Event.objects.filter(topic="item.stock_changed").count() == 2 * n
