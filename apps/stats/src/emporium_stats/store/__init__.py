"""The analytics store of the stats app: ingestion, daily rollups and every dashboard query."""

from emporium_stats.store.core import (
    Store,
    get_state,
    open_store,
    raw_from,
    rolled_until,
    set_state,
)
from emporium_stats.store.ingest import (
    InvalidBatch,
    delete_shop,
    ingest_customer_events,
    ingest_orders,
    replace_items,
)
from emporium_stats.store.overview import overview, trend_by_day, trend_by_hour
from emporium_stats.store.read import previous_range
from emporium_stats.store.realtime import live_feed, realtime
from emporium_stats.store.rollup import close_days, prune, rollup
from emporium_stats.store.tables import (
    items,
    pages,
    regions,
    search_keywords,
    sources,
    unattended_items,
)
from emporium_stats.store.validate import InvalidInput

__all__ = [
    "InvalidBatch",
    "InvalidInput",
    "Store",
    "delete_shop",
    "get_state",
    "ingest_customer_events",
    "close_days",
    "ingest_orders",
    "items",
    "live_feed",
    "open_store",
    "overview",
    "pages",
    "previous_range",
    "prune",
    "raw_from",
    "realtime",
    "regions",
    "replace_items",
    "rolled_until",
    "rollup",
    "search_keywords",
    "set_state",
    "sources",
    "trend_by_day",
    "trend_by_hour",
    "unattended_items",
]
