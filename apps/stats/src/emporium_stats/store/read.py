"""Reads a daily fact over [start, end): rollups for closed days, raw events for the rest."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from collections.abc import Sequence
from datetime import date, timedelta

from emporium_stats.store.core import Store, rollup_boundary
from emporium_stats.store.dialect import day, texts
from emporium_stats.store.engines import Row
from emporium_stats.store.facts import Fact
from emporium_stats.store.validate import shop_uuid


def shop_list(shop_ids: Sequence[str]) -> list[str]:
    if isinstance(shop_ids, str):
        shop_ids = [shop_ids]
    if not shop_ids:
        raise ValueError("name at least one shop")
    return sorted({shop_uuid(s) for s in shop_ids})


def check_range(start: date, end: date) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise TypeError("start and end are dates (local days of the store's time zone)")
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end)."""
    return start - (end - start), start


def where(shops: list[str], start: date, end: date, day_column: str = "day") -> str:
    return (
        f"shop_id IN {texts(shops)} AND {day_column} >= {day(start)} AND {day_column} < {day(end)}"
    )


def read_fact(
    store: Store,
    fact: Fact,
    shops: list[str],
    start: date,
    end: date,
    group: Sequence[str],
    order: str | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Sum the fact's measures over the range, grouped by `group` (fact keys, shop_id, day)."""
    parts = []
    boundary = rollup_boundary(store)
    split = max(start, min(end, boundary)) if boundary else start
    if start < split:
        keys = ", ".join(["shop_id", "day", *(k for k, _ in fact.keys), *fact.measures])
        parts.append(f"SELECT {keys} FROM {store.t(fact.table)} WHERE {where(shops, start, split)}")
    if split < end:
        parts.append(fact.sql(store.t("events"), where(shops, split, end)))
    if not parts:
        return []
    sums = ", ".join(f"CAST(sum({m}) AS BIGINT) AS {m}" for m in fact.measures)
    grouping = ", ".join(group)
    sql = f"SELECT {grouping}, {sums} FROM ({' UNION ALL '.join(parts)}) AS f GROUP BY {grouping}"
    if order:
        sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.engine.rows(sql)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days)]
