"""The home page's hot items are read off an index in their order, never sorted.

With `item_hot` on (status, -sales_count) but ties broken by id, SQLite sorted every item on
sale for each fresh home page: 320-380 ms at 100,000 items, against 0.3 ms read off
(status, -sales_count, -id) (docs/performance.md, "Garbage collector pauses in a warm worker").
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporium.catalog.search import SearchQuery, search_items
from emporium.trade.tests.test_order_plans import plan_of


def test_the_hot_items_come_off_the_index_in_order_without_a_sort(db):
    with CaptureQueriesContext(connection) as queries:
        list(search_items(SearchQuery(sort="sales"))[:24])
    plan = plan_of(queries.captured_queries[0]["sql"])
    assert "item_hot" in plan, plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan, plan
