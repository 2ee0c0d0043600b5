"""The few places where DuckDB and ClickHouse SQL differ, kept side by side."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

# Logical column types → (DuckDB, ClickHouse). "?" marks a nullable column.
TYPES = {
    "str": ("VARCHAR", "String"),
    "str?": ("VARCHAR", "Nullable(String)"),
    "lc": ("VARCHAR", "LowCardinality(String)"),
    "int": ("BIGINT", "Int64"),
    "int?": ("BIGINT", "Nullable(Int64)"),
    "date": ("DATE", "Date"),
    "ts": ("TIMESTAMP", "DateTime64(6, 'UTC')"),
    "ts?": ("TIMESTAMP", "Nullable(DateTime64(6, 'UTC'))"),
    "money": ("DECIMAL(12,2)", "Decimal(12, 2)"),
    "money?": ("DECIMAL(12,2)", "Nullable(Decimal(12, 2))"),
}

SAFE = re.compile(r"^[A-Za-z0-9_.:-]{0,100}$")

Columns = list[tuple[str, str]]


@dataclass(frozen=True)
class Dialect:
    name: str
    index: int  # position in TYPES values

    def create_table(self, table: str, columns: Columns, order_by: tuple[str, ...]) -> str:
        body = ", ".join(f"{name} {TYPES[kind][self.index]}" for name, kind in columns)
        sql = f"CREATE TABLE IF NOT EXISTS {table} ({body})"
        if self.name == "clickhouse":
            # Sorted by shop and day: every dashboard query reads one shop's range of days.
            sql += f" ENGINE = MergeTree ORDER BY ({', '.join(order_by) or 'tuple()'})"
        return sql

    def ts(self, value: datetime) -> str:
        """A UTC timestamp literal (value must be aware)."""
        text = value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        if self.name == "clickhouse":
            return f"toDateTime64('{text}', 6, 'UTC')"
        return f"TIMESTAMP '{text}'"


DUCKDB = Dialect("duckdb", 0)
CLICKHOUSE = Dialect("clickhouse", 1)


def day(value: date) -> str:
    """A date literal both engines read."""
    return f"CAST('{value.isoformat()}' AS DATE)"


def text(value: str) -> str:
    """A string literal of a validated id or key. The engines escape quotes differently, so
    anything that could need escaping is refused: free text only ever travels as Arrow data."""
    if not SAFE.match(value):
        raise ValueError(f"not a safe SQL literal: {value!r:.60}")
    return f"'{value}'"


def texts(values: list[str] | tuple[str, ...]) -> str:
    return "(" + ", ".join(text(v) for v in values) + ")" if values else "(NULL)"
