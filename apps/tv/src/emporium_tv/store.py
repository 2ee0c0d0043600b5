"""The TV app's own storage (SQLite under its data directory): pairings, recently viewed, orders.

One row per TV (a browser, known by a random cookie). Tokens live beside it in the SDK's
`JsonFileTokenStore`, keyed by the same TV id.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from emporium_sdk import DeviceAuthorization

SCHEMA = """
create table if not exists pairing (
    tv text primary key, device_code text not null, user_code text not null,
    uri text not null, uri_complete text not null, expires_at real not null,
    interval integer not null, next_poll real not null
);
create table if not exists recent (
    tv text not null, item_id text not null, viewed_at real not null,
    primary key (tv, item_id)
);
create table if not exists orders (
    order_id text primary key, tv text not null, number text not null, status text not null,
    total text not null, updated_at real not null
);
create table if not exists seen_events (event_id text primary key);
create table if not exists notices (tv text primary key, message text not null);
"""
RECENT_KEPT = 20


class Store:
    """A small SQLite file; one connection guarded by a lock (the app serves one household's TVs)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("pragma journal_mode=wal")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    # --- pairing ---------------------------------------------------------------------------

    def save_pairing(self, tv: str, code: DeviceAuthorization) -> None:
        with self._lock:
            self._db.execute(
                "insert or replace into pairing values (?, ?, ?, ?, ?, ?, ?, ?)",
                (tv, code.device_code, code.user_code, code.verification_uri,
                 code.verification_uri_complete, code.expires_at, code.interval,
                 time.time() + code.interval),
            )  # fmt: skip

    def pairing(self, tv: str) -> DeviceAuthorization | None:
        with self._lock:
            row = self._db.execute(
                "select device_code, user_code, uri, uri_complete, expires_at, interval "
                "from pairing where tv = ?",
                (tv,),
            ).fetchone()
        if row is None:
            return None
        return DeviceAuthorization(
            device_code=row[0], user_code=row[1], verification_uri=row[2],
            verification_uri_complete=row[3], expires_at=row[4], interval=row[5],
        )  # fmt: skip

    def next_poll(self, tv: str) -> float:
        with self._lock:
            row = self._db.execute("select next_poll from pairing where tv = ?", (tv,)).fetchone()
        return float(row[0]) if row else 0.0

    def polled(self, tv: str, interval: int) -> None:
        """Remember the poll; `interval` grows by 5 s for good after a slow_down (RFC 8628 §3.5)."""
        with self._lock:
            self._db.execute(
                "update pairing set interval = ?, next_poll = ? where tv = ?",
                (interval, time.time() + interval, tv),
            )

    def forget_pairing(self, tv: str) -> None:
        with self._lock:
            self._db.execute("delete from pairing where tv = ?", (tv,))

    # --- notices (a message shown once: signed out because the buyer revoked the app) ------

    def notify(self, tv: str, message: str) -> None:
        with self._lock:
            self._db.execute("insert or replace into notices values (?, ?)", (tv, message))

    def take_notice(self, tv: str) -> str | None:
        with self._lock:
            row = self._db.execute("select message from notices where tv = ?", (tv,)).fetchone()
            self._db.execute("delete from notices where tv = ?", (tv,))
        return str(row[0]) if row else None

    # --- recently viewed -------------------------------------------------------------------

    def viewed(self, tv: str, item_id: str) -> None:
        with self._lock:
            self._db.execute(
                "insert or replace into recent values (?, ?, ?)", (tv, item_id, time.time())
            )
            self._db.execute(
                "delete from recent where tv = ? and item_id not in (select item_id from recent "
                "where tv = ? order by viewed_at desc limit ?)",
                (tv, tv, RECENT_KEPT),
            )

    def recent(self, tv: str, limit: int = 12) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "select item_id from recent where tv = ? order by viewed_at desc limit ?",
                (tv, limit),
            ).fetchall()
        return [str(r[0]) for r in rows]

    # --- orders this app placed, and their state from events -------------------------------

    def save_order(self, tv: str, order_id: str, number: str, status: str, total: str) -> None:
        with self._lock:
            self._db.execute(
                "insert into orders values (?, ?, ?, ?, ?, ?) on conflict(order_id) do update "
                "set status = excluded.status, updated_at = excluded.updated_at",
                (order_id, tv, number, status, total, time.time()),
            )

    def order_status(self, order_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "select status from orders where order_id = ?", (order_id,)
            ).fetchone()
        return str(row[0]) if row else None

    def set_status(self, event_id: str, order_id: str, status: str) -> bool:
        """Apply an event once (webhooks are at-least-once): False when already seen."""
        with self._lock:
            fresh = self._db.execute(
                "insert or ignore into seen_events values (?)", (event_id,)
            ).rowcount
            if fresh:
                self._db.execute(
                    "update orders set status = ?, updated_at = ? where order_id = ?",
                    (status, time.time(), order_id),
                )
        return bool(fresh)
