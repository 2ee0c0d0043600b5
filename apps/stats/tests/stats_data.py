"""What the store tests share besides fixtures: the generated period and how it is loaded."""

from datetime import date

from emporium_stats import store as stats
from emporium_stats import traffic

FIRST_DAY = date(2026, 6, 1)
DAYS = 4
ENGINES = ["duckdb", "chdb"]


def load(store, shops, events, orders) -> None:
    for batch in traffic.batches(events, 500):
        stats.ingest_customer_events(store, batch)
    for shop in shops:
        stats.ingest_orders(store, shop.shop_id, [o for s, o in orders if s == shop.shop_id])
        stats.replace_items(store, shop.shop_id, traffic.items_for(shop))
