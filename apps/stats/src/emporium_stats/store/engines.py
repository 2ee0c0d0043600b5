"""Connections to the two analytics engines behind one small interface: run, fetch rows, insert Arrow."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

import pyarrow as pa

from emporium_stats.store.dialect import CLICKHOUSE, DUCKDB, Dialect

Row = dict[str, Any]


class Engine(Protocol):
    dialect: Dialect

    def t(self, name: str) -> str: ...
    def execute(self, sql: str) -> None: ...
    def rows(self, sql: str) -> list[Row]: ...
    def insert(self, table: str, data: pa.Table) -> None: ...
    def transaction(self) -> Any: ...
    def close(self) -> None: ...


def _aware(row: Row) -> Row:
    # DuckDB's TIMESTAMP comes back naive; both engines store UTC, so say so.
    for key, value in row.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            row[key] = value.replace(tzinfo=UTC)
    return row


class DuckDBEngine:
    dialect = DUCKDB

    def __init__(self, path: str) -> None:
        import duckdb

        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(path)
        self.con.execute("SET TimeZone = 'UTC'")
        # One connection is not safe for concurrent use; the web layer may call from threads.
        self.lock = threading.RLock()

    def t(self, name: str) -> str:
        return name

    def execute(self, sql: str) -> None:
        with self.lock:
            self.con.execute(sql)

    def rows(self, sql: str) -> list[Row]:
        with self.lock:
            cursor = self.con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [_aware(dict(zip(names, r, strict=True))) for r in cursor.fetchall()]

    def insert(self, table: str, data: pa.Table) -> None:
        columns = ", ".join(data.column_names)
        with self.lock:
            self.con.register("_staged", data)
            try:
                self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _staged")
            finally:
                self.con.unregister("_staged")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.con.close()


_chdb_sessions: dict[str, Any] = {}


def chdb_session(path: str) -> Any:
    """chdb allows one data directory per process: share its session between stores."""
    from chdb import session

    if path not in _chdb_sessions:
        if _chdb_sessions:
            raise ValueError(
                f"chdb already runs on {next(iter(_chdb_sessions))}; one path per process"
            )
        _chdb_sessions[path] = session.Session(path)  # type: ignore[no-untyped-call]  # chdb has no hints
    return _chdb_sessions[path]


class ChdbEngine:
    """ClickHouse SQL in-process. Each store lives in a database of its own."""

    dialect = CLICKHOUSE

    def __init__(self, path: str, database: str) -> None:
        if not database.isidentifier():
            raise ValueError(f"bad ClickHouse database name {database!r}")
        Path(path).mkdir(parents=True, exist_ok=True)
        self.session = chdb_session(path)
        self.database = database
        self.lock = threading.RLock()
        self.execute(f"CREATE DATABASE IF NOT EXISTS {database}")

    def t(self, name: str) -> str:
        return f"{self.database}.{name}"

    def execute(self, sql: str) -> None:
        with self.lock:
            self.session.query(sql)

    def rows(self, sql: str) -> list[Row]:
        with self.lock:
            found: list[Row] = self.session.query(sql, "ArrowTable").to_pylist()
            return found

    def insert(self, table: str, data: pa.Table) -> None:
        columns = ", ".join(data.column_names)
        staged = data  # noqa: F841 — chdb's Python() table function finds it by name
        with self.lock:
            self.session.query(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM Python(staged)"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # MergeTree has no multi-statement transactions; the app is the only writer.
        with self.lock:
            yield

    def close(self) -> None:
        """The process-wide session stays open for other stores."""

    def drop(self) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {self.database}")


def connect(url: str) -> Engine:
    """duckdb:///path/stats.duckdb (or duckdb:///:memory:) · chdb:///path/dir?database=stats."""
    parsed = urlparse(url)
    if parsed.scheme == "duckdb":
        return DuckDBEngine(parsed.path if parsed.path not in ("", "/:memory:") else ":memory:")
    if parsed.scheme == "chdb":
        database = parse_qs(parsed.query).get("database", ["stats"])[0]
        return ChdbEngine(parsed.path, database)
    if parsed.scheme == "clickhouse":
        raise ValueError(
            "a ClickHouse server is not wired yet: run its SQL in-process with chdb:///path"
        )
    raise ValueError(f"unknown analytics store URL {url!r}: use duckdb:///… or chdb:///…")
