"""Daily facts: each dashboard table is a sum over (shop, day) rows, read from raw events or rollups.

Every measure is additive across days and shops (visitors are counted per day, see docs/stats.md),
so a long range can be answered from the daily rollups exactly as from the raw events, and a
brand's several shops by adding their rows.
"""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from dataclasses import dataclass
from typing import Protocol

from emporium_stats.store.dialect import Columns


class SqlFor(Protocol):
    def __call__(self, events: str, where: str) -> str: ...


@dataclass(frozen=True)
class Fact:
    name: str
    keys: Columns
    measures: tuple[str, ...]
    sql: SqlFor  # SELECT shop_id, day, *keys, *measures (BIGINT) FROM events WHERE where

    @property
    def table(self) -> str:
        return f"rollup_{self.name}"


PV = "name = 'page_viewed'"


def _n(expr: str, alias: str) -> str:
    # Same integer type from both engines, or ClickHouse refuses to UNION raw rows with rollups.
    return f"CAST({expr} AS BIGINT) AS {alias}"


def _shop_day(events: str, where: str) -> str:
    return f"""
SELECT a.shop_id AS shop_id, a.day AS day, a.page_views AS page_views,
       {_n("coalesce(u.visitors, 0)", "visitors")}, a.visits AS visits, a.bounces AS bounces,
       a.engaged_ms AS engaged_ms, a.converted_visits AS converted_visits, a.cart_adds AS cart_adds
FROM (
    SELECT shop_id, day,
           {_n("sum(pv)", "page_views")},
           {_n("sum(CASE WHEN pv > 0 THEN 1 ELSE 0 END)", "visits")},
           {_n("sum(CASE WHEN pv = 1 THEN 1 ELSE 0 END)", "bounces")},
           {_n("sum(engaged)", "engaged_ms")},
           {_n("sum(CASE WHEN pv > 0 AND checkouts > 0 THEN 1 ELSE 0 END)", "converted_visits")},
           {_n("sum(carts)", "cart_adds")}
    FROM (
        SELECT shop_id, day, visit_id,
               sum(CASE WHEN {PV} THEN 1 ELSE 0 END) AS pv,
               sum(CASE WHEN name = 'engaged_time' THEN engaged_ms ELSE 0 END) AS engaged,
               sum(CASE WHEN name = 'checkout_completed' THEN 1 ELSE 0 END) AS checkouts,
               sum(CASE WHEN name = 'added_to_cart' THEN 1 ELSE 0 END) AS carts
        FROM {events} WHERE {where}
        GROUP BY shop_id, day, visit_id
    ) AS per_visit
    GROUP BY shop_id, day
) AS a
LEFT JOIN (
    SELECT shop_id, day, count(DISTINCT visitor_id) AS visitors
    FROM {events} WHERE {where} AND {PV}
    GROUP BY shop_id, day
) AS u ON a.shop_id = u.shop_id AND a.day = u.day"""


def _shop_hour(events: str, where: str) -> str:
    return f"""
SELECT shop_id, day, hour, {_n("count(*)", "page_views")},
       {_n("count(DISTINCT visitor_id)", "visitors")}, {_n("count(DISTINCT visit_id)", "visits")}
FROM {events} WHERE {where} AND {PV}
GROUP BY shop_id, day, hour"""


def _item_day(events: str, where: str) -> str:
    return f"""
SELECT shop_id, day, item AS item_id,
       {_n(f"sum(CASE WHEN {PV} THEN 1 ELSE 0 END)", "views")},
       {_n(f"count(DISTINCT CASE WHEN {PV} THEN visitor_id END)", "visitors")},
       {_n("sum(CASE WHEN name = 'added_to_cart' THEN 1 ELSE 0 END)", "cart_adds")},
       {_n("sum(CASE WHEN name = 'added_to_cart' THEN quantity ELSE 0 END)", "cart_units")}
FROM (
    SELECT shop_id, day, name, visitor_id, quantity,
           CASE WHEN name = 'added_to_cart' THEN item_id ELSE page_item_id END AS item
    FROM {events}
    WHERE {where} AND (({PV} AND page_item_id IS NOT NULL) OR name = 'added_to_cart')
) AS e
GROUP BY shop_id, day, item"""


def _page_day(events: str, where: str) -> str:
    # The page as a seller names it: the shop's home, one of its categories, a search in it, ...
    searched = "page_search IS NOT NULL AND page_search <> ''"
    return f"""
SELECT shop_id, day, page, page_id,
       {_n("count(*)", "views")}, {_n("count(DISTINCT visitor_id)", "visitors")}
FROM (
    SELECT shop_id, day, visitor_id,
           CASE WHEN page_type = 'shop' AND {searched} THEN 'shop_search'
                WHEN page_type = 'shop' AND page_shop_category_id IS NOT NULL THEN 'shop_category'
                WHEN page_type = 'shop' THEN 'shop_home'
                ELSE page_type END AS page,
           CASE WHEN page_type = 'shop' AND NOT ({searched}) THEN page_shop_category_id
                WHEN page_type = 'category' THEN page_category_id
                ELSE NULL END AS page_id
    FROM {events} WHERE {where} AND {PV}
) AS p
GROUP BY shop_id, day, page, page_id"""


def _search_day(events: str, where: str) -> str:
    return f"""
SELECT shop_id, day, page_search AS keyword,
       {_n("count(*)", "searches")}, {_n("count(DISTINCT visitor_id)", "visitors")}
FROM {events} WHERE {where} AND {PV} AND page_search IS NOT NULL AND page_search <> ''
GROUP BY shop_id, day, page_search"""


def _region_day(events: str, where: str) -> str:
    return f"""
SELECT shop_id, day, country, province, city,
       {_n("count(*)", "page_views")}, {_n("count(DISTINCT visitor_id)", "visitors")}
FROM {events} WHERE {where} AND {PV}
GROUP BY shop_id, day, country, province, city"""


def _source_day(events: str, where: str) -> str:
    # A visit's source is its first page view's (ties broken by event id, the same on both engines).
    return f"""
SELECT shop_id, day, first_source AS source, first_name AS source_name,
       first_campaign AS campaign, {_n("count(*)", "visits")}, {_n("sum(pv)", "page_views")}
FROM (
    SELECT shop_id, day, visit_id,
           argMin(source, (ts, event_id)) AS first_source,
           argMin(source_name, (ts, event_id)) AS first_name,
           argMin(campaign, (ts, event_id)) AS first_campaign,
           count(*) AS pv
    FROM {events} WHERE {where} AND {PV}
    GROUP BY shop_id, day, visit_id
) AS v
GROUP BY shop_id, day, first_source, first_name, first_campaign"""


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact(
            "shop_day",
            [],
            (
                "page_views",
                "visitors",
                "visits",
                "bounces",
                "engaged_ms",
                "converted_visits",
                "cart_adds",
            ),
            _shop_day,
        ),  # fmt: skip
        Fact("shop_hour", [("hour", "int")], ("page_views", "visitors", "visits"), _shop_hour),
        Fact(
            "item_day",
            [("item_id", "str")],
            ("views", "visitors", "cart_adds", "cart_units"),
            _item_day,
        ),
        Fact(
            "page_day",
            [("page", "lc"), ("page_id", "int?")],
            ("views", "visitors"),
            _page_day,
        ),
        Fact("search_day", [("keyword", "str")], ("searches", "visitors"), _search_day),
        Fact(
            "region_day",
            [("country", "lc"), ("province", "lc"), ("city", "lc")],
            ("page_views", "visitors"),
            _region_day,
        ),
        Fact(
            "source_day",
            [("source", "lc"), ("source_name", "str"), ("campaign", "str")],
            ("visits", "page_views"),
            _source_day,
        ),
    )
}
