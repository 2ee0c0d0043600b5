"""Tables of the store: raw events, orders and their lines, the items snapshot, state, rollups."""

from emporium_stats.store.dialect import Columns
from emporium_stats.store.engines import Engine
from emporium_stats.store.facts import FACTS

# One wide row per delivered customer event. `day` and `hour` are local (the store's time zone),
# `visit_id` is the session id or, for a browser that refused storage, the page view's own id;
# `source`/`source_name`/`campaign` classify the referrer and utm once, at ingestion.
EVENTS: Columns = [
    ("event_id", "str"),
    ("name", "lc"),
    ("ts", "ts"),
    ("day", "date"),
    ("hour", "int"),
    ("shop_id", "str"),
    ("visitor_id", "str"),
    ("session_id", "str?"),
    ("visit_id", "str"),
    ("page_view_id", "str"),
    ("page_type", "lc"),
    ("page_path", "str"),
    ("page_item_id", "str?"),
    ("page_category_id", "int?"),
    ("page_shop_category_id", "int?"),
    ("page_search", "str?"),
    ("country", "lc"),
    ("province", "lc"),
    ("city", "lc"),
    ("referrer", "str?"),
    ("source", "lc"),
    ("source_name", "str"),
    ("campaign", "str"),
    ("utm_source", "str?"),
    ("utm_medium", "str?"),
    ("utm_campaign", "str?"),
    ("utm_term", "str?"),
    ("utm_content", "str?"),
    ("engaged_ms", "int?"),
    ("item_id", "str?"),
    ("sku_id", "int?"),
    ("quantity", "int?"),
    ("order_id", "str?"),
    ("total", "money?"),
    ("currency", "str?"),
]

# The latest known state of each order (replaced whole when a newer one arrives); `as_of` is the
# latest of its timestamps, so an older webhook delivered late cannot overwrite a newer state.
ORDERS: Columns = [
    ("order_id", "str"),
    ("shop_id", "str"),
    ("number", "str"),
    ("status", "lc"),
    ("created_at", "ts"),
    ("created_day", "date"),
    ("created_hour", "int"),
    ("paid_at", "ts?"),
    ("total_amount", "money"),
    ("currency", "str"),
    ("as_of", "ts"),
]

ORDER_LINES: Columns = [
    ("order_id", "str"),
    ("shop_id", "str"),
    ("item_id", "str"),
    ("quantity", "int"),
    ("total", "money"),
]

ITEMS: Columns = [
    ("shop_id", "str"),
    ("item_id", "str"),
    ("title", "str"),
    ("status", "lc"),
    ("price", "money"),
    ("currency", "str"),
]

STATE: Columns = [("key", "str"), ("value", "str")]

TABLES: dict[str, tuple[Columns, tuple[str, ...]]] = {
    "events": (EVENTS, ("shop_id", "day", "ts")),
    "orders": (ORDERS, ("shop_id", "created_day", "order_id")),
    "order_lines": (ORDER_LINES, ("shop_id", "order_id")),
    "items": (ITEMS, ("shop_id", "item_id")),
    "state": (STATE, ("key",)),
}


def create_all(engine: Engine) -> None:
    for name, (columns, order_by) in TABLES.items():
        engine.execute(engine.dialect.create_table(engine.t(name), columns, order_by))
    for fact in FACTS.values():
        columns = [
            ("shop_id", "str"),
            ("day", "date"),
            *fact.keys,
            *((m, "int") for m in fact.measures),
        ]
        engine.execute(
            engine.dialect.create_table(engine.t(fact.table), columns, ("shop_id", "day"))
        )
