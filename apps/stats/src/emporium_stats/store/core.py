"""The store: an engine, a time zone for local days, the raw retention, and its small state table."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from emporium_stats.store.dialect import Columns, text
from emporium_stats.store.engines import Engine, connect
from emporium_stats.store.schema import STATE, create_all

DEFAULT_TZ = "Asia/Shanghai"

ARROW = {
    "str": pa.string(),
    "lc": pa.string(),
    "int": pa.int64(),
    "date": pa.date32(),
    "ts": pa.timestamp("us", tz="UTC"),
    "money": pa.decimal128(12, 2),
}


@dataclass
class Store:
    engine: Engine
    tz: ZoneInfo
    raw_days: int

    def t(self, name: str) -> str:
        return self.engine.t(name)

    def insert(self, table: str, columns: Columns, rows: list[dict[str, Any]]) -> None:
        """One columnar insert for all rows — never a statement per row."""
        if not rows:
            return
        arrays = {
            name: pa.array([row[name] for row in rows], ARROW[kind.rstrip("?")])
            for name, kind in columns
        }
        self.engine.insert(self.t(table), pa.table(arrays))


def open_store(url: str, *, tz: str = DEFAULT_TZ, raw_days: int = 90) -> Store:
    """Open (and create if need be) a store: duckdb:///path/stats.duckdb or chdb:///dir?database=x.

    `tz` decides what a day is, for ingestion and rollups alike; `raw_days` how long raw events stay.
    """
    if raw_days < 1:
        raise ValueError("raw_days must be at least 1")
    engine = connect(url)
    create_all(engine)
    return Store(engine, ZoneInfo(tz), raw_days)


def get_state(store: Store, key: str) -> str | None:
    rows = store.engine.rows(f"SELECT value FROM {store.t('state')} WHERE key = {text(key)}")
    return rows[0]["value"] if rows else None


def set_state(store: Store, key: str, value: str) -> None:
    # The value (a feed cursor, say) travels as data; only the key is a literal.
    with store.engine.transaction():
        store.engine.execute(f"DELETE FROM {store.t('state')} WHERE key = {text(key)}")
        store.insert("state", STATE, [{"key": key, "value": value}])


def raw_from(store: Store) -> date | None:
    """The first local day still held as raw events; earlier days are answered by the rollups."""
    value = get_state(store, "raw_from")
    return date.fromisoformat(value) if value else None


def rolled_until(store: Store) -> date | None:
    """Days before this one have complete rollups, which answer them even while their raw events
    are still kept; None when nothing was closed yet (then only pruned days use rollups)."""
    value = get_state(store, "rolled_until")
    return date.fromisoformat(value) if value else None


def rollup_boundary(store: Store) -> date | None:
    """The first day read from raw events: days before it are read from the rollups."""
    marks = [d for d in (raw_from(store), rolled_until(store)) if d is not None]
    return max(marks) if marks else None
