"""The dashboard's tables — items, pages, search words, regions, sources — as rows for pages and CSV."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from emporium_stats.store.core import Store
from emporium_stats.store.dialect import day, text, texts
from emporium_stats.store.engines import Row
from emporium_stats.store.facts import FACTS
from emporium_stats.store.overview import ratio
from emporium_stats.store.read import check_range, read_fact, shop_list

ITEM_ORDER = ("views", "visitors", "cart_adds", "orders", "units", "sales")


def _group(keys: Sequence[str], by_shop: bool) -> list[str]:
    return ["shop_id", *keys] if by_shop else list(keys)


def _prepare(shop_ids: Sequence[str], start: date, end: date) -> list[str]:
    check_range(start, end)
    return shop_list(shop_ids)


def _titles(store: Store, shops: list[str]) -> dict[tuple[str, str], Row]:
    rows = store.engine.rows(
        f"SELECT shop_id, item_id, title, status, price FROM {store.t('items')}"
        f" WHERE shop_id IN {texts(shops)}"
    )
    return {(r["shop_id"], r["item_id"]): r for r in rows}


def _item_orders(store: Store, shops: list[str], start: date, end: date) -> list[Row]:
    return store.engine.rows(
        f"SELECT l.shop_id AS shop_id, l.item_id AS item_id, count(DISTINCT l.order_id) AS orders,"
        f" CAST(sum(l.quantity) AS BIGINT) AS units, sum(l.total) AS sales"
        f" FROM {store.t('order_lines')} AS l JOIN {store.t('orders')} AS o"
        f" ON o.order_id = l.order_id"
        f" WHERE o.shop_id IN {texts(shops)} AND o.created_day >= {day(start)}"
        f" AND o.created_day < {day(end)} AND o.paid_at IS NOT NULL"
        f" GROUP BY l.shop_id, l.item_id"
    )


def items(
    store: Store,
    shop_ids: Sequence[str],
    start: date,
    end: date,
    *,
    by_shop: bool = False,
    order_by: str = "views",
    limit: int | None = None,
) -> list[Row]:
    """Per item: views, visitors, add-to-carts (events and units), paid orders, units, sales and
    conversion (orders / visitors), most `order_by` first; titles from the items snapshot."""
    if order_by not in ITEM_ORDER:
        raise ValueError(f"order_by is one of {', '.join(ITEM_ORDER)}")
    shops = _prepare(shop_ids, start, end)
    zero = {"views": 0, "visitors": 0, "cart_adds": 0, "cart_units": 0, "orders": 0, "units": 0}
    merged: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(shop: str, item: str) -> dict[str, Any]:
        key = (shop if by_shop else "", item)
        return merged.setdefault(key, {**zero, "sales": Decimal("0.00"), "shops": set()})

    for row in read_fact(store, FACTS["item_day"], shops, start, end, ["shop_id", "item_id"]):
        found = entry(row["shop_id"], row["item_id"])
        for key in ("views", "visitors", "cart_adds", "cart_units"):
            found[key] += row[key]
        found["shops"].add(row["shop_id"])
    for row in _item_orders(store, shops, start, end):
        found = entry(row["shop_id"], row["item_id"])
        found["orders"] += row["orders"]
        found["units"] += row["units"]
        found["sales"] += Decimal(row["sales"])
        found["shops"].add(row["shop_id"])
    titles = _titles(store, shops)
    rows = []
    for (shop, item), figures in merged.items():
        owner = shop or min(figures.pop("shops"))
        figures.pop("shops", None)
        known = titles.get((owner, item), {})
        row = {"shop_id": owner} if by_shop else {}
        row.update(item_id=item, title=known.get("title", ""), status=known.get("status", ""))
        row.update(figures, conversion_rate=ratio(figures["orders"], figures["visitors"]))
        rows.append(row)
    rows.sort(key=lambda r: (-r[order_by], r["item_id"]))
    return rows[:limit] if limit is not None else rows


def unattended_items(
    store: Store, shop_ids: Sequence[str], start: date, end: date, *, limit: int | None = None
) -> list[Row]:
    """Items on sale in the snapshot that nobody viewed in the range."""
    shops = _prepare(shop_ids, start, end)
    viewed = {
        (r["shop_id"], r["item_id"])
        for r in read_fact(store, FACTS["item_day"], shops, start, end, ["shop_id", "item_id"])
        if r["views"] > 0
    }
    on_sale = store.engine.rows(
        f"SELECT shop_id, item_id, title, price FROM {store.t('items')}"
        f" WHERE shop_id IN {texts(shops)} AND status = {text('on_sale')}"
        f" ORDER BY shop_id, title, item_id"
    )
    rows = [r for r in on_sale if (r["shop_id"], r["item_id"]) not in viewed]
    return rows[:limit] if limit is not None else rows


def pages(
    store: Store, shop_ids: Sequence[str], start: date, end: date, *, by_shop: bool = False
) -> list[Row]:
    """Views and visitors per page: shop_home, shop_category (page_id = the shop's category),
    shop_search, category (page_id = the platform category), item, cart, checkout, other."""
    shops = _prepare(shop_ids, start, end)
    group = _group(["page", "page_id"], by_shop)
    return read_fact(
        store, FACTS["page_day"], shops, start, end, group, order="views DESC, page, page_id"
    )


def search_keywords(
    store: Store,
    shop_ids: Sequence[str],
    start: date,
    end: date,
    *,
    by_shop: bool = False,
    limit: int | None = 20,
) -> list[Row]:
    """The words searched in the shop (as typed, trimmed), most searched first."""
    shops = _prepare(shop_ids, start, end)
    group = _group(["keyword"], by_shop)
    return read_fact(
        store, FACTS["search_day"], shops, start, end, group, "searches DESC, keyword", limit
    )


def regions(
    store: Store,
    shop_ids: Sequence[str],
    start: date,
    end: date,
    *,
    level: str = "city",
    by_shop: bool = False,
    limit: int | None = None,
) -> list[Row]:
    """Visitors and page views per province (level="province") or city ("" = unknown)."""
    if level not in ("province", "city"):
        raise ValueError('level is "province" or "city"')
    shops = _prepare(shop_ids, start, end)
    keys = ["country", "province"] + (["city"] if level == "city" else [])
    order = "visitors DESC, page_views DESC, " + ", ".join(keys)
    return read_fact(
        store, FACTS["region_day"], shops, start, end, _group(keys, by_shop), order, limit
    )


def sources(
    store: Store,
    shop_ids: Sequence[str],
    start: date,
    end: date,
    *,
    detail: bool = True,
    by_shop: bool = False,
) -> list[Row]:
    """Visits (and their page views) per source: direct, search (engine), referral (host),
    campaign (utm source and campaign). detail=False gives the four kinds only."""
    shops = _prepare(shop_ids, start, end)
    keys = ["source", "source_name", "campaign"] if detail else ["source"]
    order = "visits DESC, " + ", ".join(keys)
    return read_fact(store, FACTS["source_day"], shops, start, end, _group(keys, by_shop), order)
