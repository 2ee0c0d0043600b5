"""Right now: visitors online and in the last minutes, and the latest page views — from raw events."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from emporium_stats.store.core import Store
from emporium_stats.store.dialect import texts
from emporium_stats.store.engines import Row
from emporium_stats.store.read import shop_list

ONLINE_MINUTES = 5
WINDOWS = (15, 30, 60)


def _window(store: Store, minutes: int, now: datetime) -> str:
    ts = store.engine.dialect.ts
    start, end = now - timedelta(minutes=minutes), now
    return f"ts > {ts(start)} AND ts <= {ts(end)}"


def realtime(store: Store, shop_ids: Sequence[str], now: datetime) -> dict[str, Any]:
    """Distinct visitors with any event in the last 5 minutes ("online"), 15, 30 and 60."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    shops = shop_list(shop_ids)
    columns = ", ".join(
        f"count(DISTINCT CASE WHEN {_window(store, m, now)} THEN visitor_id END) AS last_{m}"
        for m in (ONLINE_MINUTES, *WINDOWS)
    )
    row = store.engine.rows(
        f"SELECT {columns} FROM {store.t('events')}"
        f" WHERE shop_id IN {texts(shops)} AND {_window(store, max(WINDOWS), now)}"
    )[0]
    figures = {"online": row[f"last_{ONLINE_MINUTES}"]}
    figures.update({f"last_{m}_minutes": row[f"last_{m}"] for m in WINDOWS})
    return figures


def live_feed(store: Store, shop_ids: Sequence[str], now: datetime, limit: int = 20) -> list[Row]:
    """The latest page views up to `now`: time, shop, page, item (and its title), region."""
    shops = shop_list(shop_ids)
    rows = store.engine.rows(
        f"SELECT ts AS time, shop_id, page_type, page_path, page_item_id AS item_id,"
        f" province, city FROM {store.t('events')}"
        f" WHERE shop_id IN {texts(shops)} AND name = 'page_viewed'"
        f" AND {_window(store, 24 * 60, now)}"
        f" ORDER BY ts DESC, event_id DESC LIMIT {int(limit)}"
    )
    ids = sorted({r["item_id"] for r in rows if r["item_id"]})
    titles = {}
    if ids:
        found = store.engine.rows(
            f"SELECT item_id, title FROM {store.t('items')} WHERE item_id IN {texts(ids)}"
        )
        titles = {r["item_id"]: r["title"] for r in found}
    for row in rows:
        row["title"] = titles.get(row["item_id"], "")
    return rows
