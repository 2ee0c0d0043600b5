"""A shop's page of `GET /orders` is read from an index in the page's order, never sorted.

Without `order_shop_created` (shop, created_at, id) SQLite read the shop's orders by
`order_shop_status` and sorted them all for every page: at 98,814 orders the books app's
backfill spent 586 s listing them (docs/performance.md, "Books: backfill and reports").
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporium.api.pagination import encode_cursor, paginate
from emporium.api.routes.orders import orders_of
from emporium.api.schemas.common import PageQuery


def plan_of(sql: str) -> str:
    """The query plan of `sql`; on PostgreSQL with sorts and sequential scans priced out, so
    an empty test table shows whether an index can give the order at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("cursor", [False, True], ids=["first page", "next page"])
def test_a_page_of_a_shops_orders_is_read_by_index_without_a_sort(db, shop, cursor):
    after = encode_cursor("orders", datetime(2025, 6, 1, tzinfo=UTC), 500) if cursor else None
    with CaptureQueriesContext(connection) as queries:
        paginate(
            orders_of(shop), PageQuery(limit=100, cursor=after), key="created_at",
            descending=True, name="orders",
        )  # fmt: skip
    plan = plan_of(queries.captured_queries[0]["sql"])
    assert "order_shop_created" in plan, plan
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan, plan
    if cursor:  # the index is entered at the cursor, not read from the newest order on
        assert ("created_at<" in plan if connection.vendor == "sqlite" else
                "Index Cond: ((shop_id = " in plan and "created_at <=" in plan), plan  # fmt: skip
