"""The home page's hot items are read off an index in their order, never sorted, and the index
that gives that order is not taken by a full-text search.

Joining the shops let SQLite start from them and sort every item on sale, ties by id: 300-450 ms
per fresh home page at 100,000 items, against 6-9 ms with the order read off `item_hot`. Without
statistics for that index SQLite walked it for searches too (docs/performance.md, "The hot
items' order"), so its migration measures it at once."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.catalog.search import SearchQuery, listed_ids, search_items
from emporium.shops.models import Shop
from emporium.shops.services import set_status
from emporium.storefront.listing import hot_items
from emporium.trade.tests.test_order_plans import plan_of

# sqlite_stat1 as ANALYZE wrote it for the bench's 100,000 items in 12 shops (bench/catalog.py):
# the planner's view of a big catalogue, where an empty test table would tell it nothing.
BENCH_STATS = [
    ("catalog_item", "item_hot", "100000 50000 50000 1"),
    ("catalog_item", "item_shop_updated", "100000 8334 1 1"),
    ("catalog_item", "item_shop_status", "100000 8334 4167"),
    ("catalog_item", "item_newest", "100000 50000 1"),
    ("catalog_item", "item_price", "100000 50000 6"),
    ("catalog_item", "item_browse_sales", "100000 50000 1786 1786"),
    ("catalog_item", "catalog_item_shop_id_c623e4c3", "100000 8334"),
    ("catalog_item", "catalog_item_category_id_a5ca86ac", "100000 3572"),
    ("catalog_item", "sqlite_autoindex_catalog_item_1", "100000 1"),
    ("catalog_itemimage", "catalog_itemimage_item_id_b6c0c9d3", "207955 3"),
]


@pytest.fixture
def bench_statistics(db):
    """SQLite's planner handed BENCH_STATS, then (for later tests on this connection) none."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", BENCH_STATS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")


def test_the_hot_items_come_off_the_index_in_order_without_a_sort(db):
    with CaptureQueriesContext(connection) as queries:
        hot_items()
    plan = plan_of(queries.captured_queries[0]["sql"])
    assert "item_hot" in plan, plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan, plan


# SQLite's planner can be handed a big catalogue's statistics; PostgreSQL's cannot, and its plan
# for an empty table (any index on status beats a priced-out scan) says nothing of a big one.
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics, written by hand")
def test_a_search_for_words_starts_from_the_words_not_from_the_hot_items_index(bench_statistics):
    for sort in ("relevance", "sales"):
        with CaptureQueriesContext(connection) as queries:
            list(search_items(SearchQuery(text="dress", sort=sort))[:24])
        plan = plan_of(queries.captured_queries[0]["sql"])
        assert "item_hot" not in plan, plan
        assert plan.splitlines()[0].startswith("SCAN catalog_item_fts"), plan


def test_best_sellers_of_a_closed_shop_are_skipped_and_the_list_still_fills(
    shop, other_shop, make_item
):
    for n in range(5):
        closed = make_item(shop, title=f"Closed best seller {n}")
        Item.objects.filter(pk=closed.pk).update(sales_count=100 + n)
    for n in range(3):
        open_one = make_item(other_shop, title=f"Open {n}")
        Item.objects.filter(pk=open_one.pk).update(sales_count=10 - n)
    make_item(other_shop, title="Open newest, no sales")
    set_status(shop, Shop.Status.CLOSED)

    # A window of 4 ids first (all of the closed shop's), then a wider one.
    assert [item.title for item in hot_items(limit=2)] == ["Open 0", "Open 1"]
    assert [item.title for item in hot_items(limit=24)] == [
        "Open 0", "Open 1", "Open 2", "Open newest, no sales",
    ]  # fmt: skip


class Editor:
    """What the migration asks of its schema editor; SQLite's own refuses to open inside the
    test's transaction."""

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_gives_the_new_index_its_statistics_when_there_are_items(item):
    migration = importlib.import_module("emporium.catalog.migrations.0010_item_hot_ascending")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM sqlite_stat1")
        migration.analyze_catalogue(apps, Editor())
        with connection.cursor() as cursor:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'item_hot'")
            assert cursor.fetchall() == [("1 1 1 1",)]
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")
    else:
        migration.analyze_catalogue(apps, Editor())
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalog_item'")
            assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics, written by hand")
def test_a_category_pages_its_ids_off_the_items_indexes_not_from_the_shops(
    bench_statistics, dresses
):
    with CaptureQueriesContext(connection) as queries:
        list(listed_ids(SearchQuery(category=dresses))[:24])
    plan = plan_of(queries.captured_queries[-1]["sql"])
    # With the join SQLite began "SCAN shops_shop" and sorted every item on sale.
    assert plan.splitlines()[0].startswith("SEARCH catalog_item USING INDEX"), plan


def test_a_category_page_of_ids_leaves_out_closed_shops_and_pages_in_sales_order(
    client, shop, other_shop, make_item
):
    for n in range(40):
        sold = make_item(shop if n % 2 else other_shop, title=f"Dress {n:02}")
        Item.objects.filter(pk=sold.pk).update(sales_count=100 - n)
    for n in range(10):
        make_item(other_shop, title=f"New dress {n:02}")  # no sales: newest first
    set_status(shop, Shop.Status.CLOSED)
    url = reverse("storefront:category", args=["dresses"])
    first, second = client.get(url), client.get(url, {"page": "2"})
    shown = [i.title for i in first.context["page"].object_list]
    shown += [i.title for i in second.context["page"].object_list]
    assert shown == [f"Dress {n:02}" for n in range(0, 40, 2)] + [
        f"New dress {n:02}" for n in range(9, -1, -1)
    ]
    assert len(first.context["page"].object_list) == 24
    assert first.context["page"].paginator.count == 30
    assert "¥199.00" in first.content.decode()  # the cards priced, as the item page prices them
