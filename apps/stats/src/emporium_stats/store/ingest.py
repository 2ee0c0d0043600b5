"""Batches in: customer events (idempotent by event id), orders (latest state wins), the items snapshot."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

import logging
from collections.abc import Sequence
from typing import Any, Literal

from emporium_stats.store.core import Store, get_state, raw_from, set_state
from emporium_stats.store.dialect import day, text, texts
from emporium_stats.store.engines import Row
from emporium_stats.store.facts import FACTS
from emporium_stats.store.rollup import reroll_late
from emporium_stats.store.schema import EVENTS, ITEMS, ORDER_LINES, ORDERS
from emporium_stats.store.validate import (
    InvalidInput,
    event_row,
    item_row,
    order_rows,
    shop_uuid,
)

log = logging.getLogger("emporium_stats")


class InvalidBatch(ValueError):
    """Raised with on_error="raise": every problem of the batch, nothing of it written."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def ingest_customer_events(
    store: Store, events: Sequence[Any], *, on_error: Literal["skip", "raise"] = "skip"
) -> int:
    """Store a batch of delivered events in one insert; returns how many were new.

    A redelivered or replayed event (same event_id) is not stored twice. An invalid event is
    skipped, logged and counted (state "rejected_events") while the rest of the batch is stored:
    one bad event must not block a whole feed. With on_error="raise" nothing is written instead.
    """
    rows: dict[str, Row] = {}
    problems: list[InvalidInput] = []
    for index, event in enumerate(events):
        try:
            row = event_row(event, index, store.tz)
        except InvalidInput as problem:
            problems.append(problem)
            continue
        rows.setdefault(row["event_id"], row)
    if problems:
        if on_error == "raise":
            raise InvalidBatch(problems)
        for rejected in problems:
            log.warning("customer event rejected: %s", rejected)
        _count(store, "rejected_events", len(problems))
    first_raw = raw_from(store)
    if first_raw is not None:
        # Days already rolled up and pruned are final: a late replay must not count twice.
        rows = {k: r for k, r in rows.items() if r["day"] >= first_raw}
    stored = _stored_ids(store, list(rows.values()))
    fresh = [r for k, r in rows.items() if k not in stored]
    store.insert("events", EVENTS, fresh)
    reroll_late(store, {r["day"] for r in fresh})
    return len(fresh)


def _stored_ids(store: Store, rows: list[Row]) -> set[str]:
    if not rows:
        return set()
    days = [r["day"] for r in rows]
    shops = sorted({r["shop_id"] for r in rows})
    found = store.engine.rows(
        f"SELECT event_id FROM {store.t('events')} WHERE shop_id IN {texts(shops)}"
        f" AND day >= {day(min(days))} AND day <= {day(max(days))}"
        f" AND event_id IN {texts([r['event_id'] for r in rows])}"
    )
    return {r["event_id"] for r in found}


def _count(store: Store, key: str, n: int) -> None:
    set_state(store, key, str(int(get_state(store, key) or 0) + n))


def ingest_orders(store: Store, shop_id: str, orders: Sequence[Any]) -> int:
    """Upsert orders of one shop (as the API returns them); returns how many were stored.

    An order replaces the stored one unless that one is newer (by its latest timestamp), so a
    late `order.created` cannot undo `order.paid`. Any invalid order rejects the call whole.
    """
    shop_id = shop_uuid(shop_id)
    latest: dict[str, tuple[Row, list[Row]]] = {}
    for index, order in enumerate(orders):
        row, lines = order_rows(shop_id, order, index, store.tz)
        known = latest.get(row["order_id"])
        if known is None or row["as_of"] >= known[0]["as_of"]:
            latest[row["order_id"]] = (row, lines)
    if not latest:
        return 0
    ids = texts(list(latest))
    stored = store.engine.rows(
        f"SELECT order_id, as_of FROM {store.t('orders')} WHERE order_id IN {ids}"
    )
    older = {r["order_id"] for r in stored if r["as_of"] > latest[r["order_id"]][0]["as_of"]}
    keep = [v for k, v in latest.items() if k not in older]
    if not keep:
        return 0
    kept = texts([row["order_id"] for row, _ in keep])
    with store.engine.transaction():
        store.engine.execute(f"DELETE FROM {store.t('orders')} WHERE order_id IN {kept}")
        store.engine.execute(f"DELETE FROM {store.t('order_lines')} WHERE order_id IN {kept}")
        store.insert("orders", ORDERS, [row for row, _ in keep])
        store.insert("order_lines", ORDER_LINES, [line for _, lines in keep for line in lines])
    return len(keep)


def replace_items(store: Store, shop_id: str, items: Sequence[Any]) -> int:
    """Replace a shop's items snapshot (id, title, status, price) with the given list."""
    shop_id = shop_uuid(shop_id)
    rows: dict[str, Row] = {}
    for index, item in enumerate(items):
        row = item_row(shop_id, item, index)
        rows[row["item_id"]] = row
    with store.engine.transaction():
        store.engine.execute(f"DELETE FROM {store.t('items')} WHERE shop_id = {text(shop_id)}")
        store.insert("items", ITEMS, list(rows.values()))
    return len(rows)


def delete_shop(store: Store, shop_id: str) -> None:
    """Forget everything about a shop (app.erasure_requested)."""
    where = f"shop_id = {text(shop_uuid(shop_id))}"
    tables = ["events", "orders", "order_lines", "items", *(f.table for f in FACTS.values())]
    with store.engine.transaction():
        for table in tables:
            store.engine.execute(f"DELETE FROM {store.t(table)} WHERE {where}")
