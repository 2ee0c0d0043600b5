"""The zoom app's own storage: one SQLite file of shops, their items' pictures, the pyramids (one per
content hash, whoever shows it) and the handled event ids; the tiles themselves are files.

A pyramid's life: queued → tiling → done, or failed (with the reason) after a refusal or after
MAX_ATTEMPTS transient errors; "small" when the picture is too small to be worth zooming.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS shops (
    shop_id TEXT PRIMARY KEY, name TEXT NOT NULL, installed INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS items (
    shop_id TEXT NOT NULL, item_id TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL,
    PRIMARY KEY (shop_id, item_id)
);
CREATE TABLE IF NOT EXISTS pictures (
    shop_id TEXT NOT NULL, item_id TEXT NOT NULL, position INTEGER NOT NULL,
    sha256 TEXT, url TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    preview_url TEXT NOT NULL, size_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, item_id, position)
);
CREATE INDEX IF NOT EXISTS pictures_by_hash ON pictures (sha256);
CREATE TABLE IF NOT EXISTS pyramids (
    sha256 TEXT PRIMARY KEY, shop_id TEXT NOT NULL, url TEXT NOT NULL,
    width INTEGER NOT NULL, height INTEGER NOT NULL, size_bytes INTEGER NOT NULL,
    state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',
    not_before REAL NOT NULL DEFAULT 0, queued_at REAL NOT NULL, tiles INTEGER NOT NULL DEFAULT 0,
    disk_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS pyramids_by_state ON pyramids (state, not_before);
CREATE TABLE IF NOT EXISTS turns (shop_id TEXT PRIMARY KEY, served_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS handled (event_id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Picture:
    item_id: str
    position: int
    sha256: str | None  # None: uploaded before the platform kept originals
    url: str  # the original's URL
    width: int
    height: int
    preview_url: str  # the platform's 1200-pixel copy, for pictures that do not zoom
    size_bytes: int = 0


@dataclass(frozen=True)
class Pyramid:
    sha256: str
    shop_id: str
    url: str
    width: int
    height: int
    size_bytes: int
    state: str
    attempts: int
    reason: str
    tiles: int
    disk_bytes: int


class Store:
    """Thread-safe: one connection, one lock (tiling happens outside it, so it is held briefly)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, args))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- shops and events ----------------------------------------------------------------------

    def save_shop(self, shop_id: str, name: str) -> None:
        with self.tx() as db:
            db.execute(
                "INSERT INTO shops VALUES (?, ?, 1) ON CONFLICT (shop_id) DO UPDATE SET "
                "name = excluded.name, installed = 1",
                (shop_id, name),
            )

    def shops(self, installed: bool = True) -> list[str]:
        rows = self.rows(
            "SELECT shop_id FROM shops WHERE installed >= ? ORDER BY shop_id", int(installed)
        )
        return [r["shop_id"] for r in rows]

    def shop_name(self, shop_id: str) -> str | None:
        found = self.rows("SELECT name FROM shops WHERE shop_id = ?", shop_id)
        return str(found[0]["name"]) if found else None

    def uninstalled(self, shop_id: str) -> None:
        with self.tx() as db:
            db.execute("UPDATE shops SET installed = 0 WHERE shop_id = ?", (shop_id,))

    def first_time(self, event_id: str) -> bool:
        """True once per event id: webhooks and the feed may both bring the same event."""
        with self.tx() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO handled VALUES (?, ?)", (event_id, time.time())
            )
            return cursor.rowcount == 1

    def get(self, key: str) -> str | None:
        found = self.rows("SELECT value FROM kv WHERE key = ?", key)
        return str(found[0]["value"]) if found else None

    def put(self, key: str, value: str) -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))

    # --- items and pictures --------------------------------------------------------------------

    def replace_item(
        self, shop_id: str, item_id: str, title: str, status: str, pictures: list[Picture]
    ) -> None:
        with self.tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?)",
                (shop_id, item_id, title, status),
            )
            db.execute("DELETE FROM pictures WHERE shop_id = ? AND item_id = ?", (shop_id, item_id))
            db.executemany(
                "INSERT INTO pictures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(shop_id, item_id, p.position, p.sha256, p.url, p.width, p.height,
                  p.preview_url, p.size_bytes) for p in pictures],
            )  # fmt: skip

    def delete_item(self, shop_id: str, item_id: str) -> None:
        with self.tx() as db:
            db.execute("DELETE FROM items WHERE shop_id = ? AND item_id = ?", (shop_id, item_id))
            db.execute("DELETE FROM pictures WHERE shop_id = ? AND item_id = ?", (shop_id, item_id))

    def delete_shop(self, shop_id: str) -> None:
        with self.tx() as db:
            for table in ("items", "pictures", "shops", "turns"):
                db.execute(f"DELETE FROM {table} WHERE shop_id = ?", (shop_id,))  # noqa: S608

    def item_ids(self, shop_id: str) -> set[str]:
        return {
            r["item_id"] for r in self.rows("SELECT item_id FROM items WHERE shop_id = ?", shop_id)
        }

    def item(self, shop_id: str, item_id: str) -> sqlite3.Row | None:
        found = self.rows("SELECT * FROM items WHERE shop_id = ? AND item_id = ?", shop_id, item_id)
        return found[0] if found else None

    def pictures(self, shop_id: str, item_id: str) -> list[Picture]:
        rows = self.rows(
            "SELECT * FROM pictures WHERE shop_id = ? AND item_id = ? ORDER BY position",
            shop_id, item_id,
        )  # fmt: skip
        return [_picture(r) for r in rows]

    def shop_pictures(self, shop_id: str) -> list[tuple[sqlite3.Row, Picture]]:
        """Every item of the shop (title, status) with each of its pictures, in item order."""
        rows = self.rows(
            "SELECT i.item_id, i.title, i.status, p.* FROM items i JOIN pictures p "
            "ON p.shop_id = i.shop_id AND p.item_id = i.item_id WHERE i.shop_id = ? "
            "ORDER BY i.title, i.item_id, p.position",
            shop_id,
        )
        return [(r, _picture(r)) for r in rows]

    # --- pyramids ------------------------------------------------------------------------------

    def want(self, shop_id: str, picture: Picture, *, small: bool) -> bool:
        """Make sure a pyramid exists or is queued for this content; True if newly queued."""
        assert picture.sha256
        state = "small" if small else "queued"
        with self.tx() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO pyramids (sha256, shop_id, url, width, height, size_bytes, "
                "state, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (picture.sha256, shop_id, picture.url, picture.width, picture.height,
                 picture.size_bytes, state, time.time()),
            )  # fmt: skip
            return cursor.rowcount == 1 and not small

    def pyramid(self, sha256: str) -> Pyramid | None:
        found = self.rows("SELECT * FROM pyramids WHERE sha256 = ?", sha256)
        return _pyramid(found[0]) if found else None

    def pyramids(self, shas: list[str]) -> dict[str, Pyramid]:
        if not shas:
            return {}
        marks = ",".join("?" * len(shas))
        rows = self.rows(f"SELECT * FROM pyramids WHERE sha256 IN ({marks})", *shas)  # noqa: S608
        return {r["sha256"]: _pyramid(r) for r in rows}

    def claim(self, now: float | None = None) -> Pyramid | None:
        """The next queued pyramid, taking shops in turn: the shop served longest ago goes first,
        so one shop's thousand uploads wait behind another shop's one."""
        now = time.time() if now is None else now
        with self.tx() as db:
            row = db.execute(
                "SELECT p.* FROM pyramids p LEFT JOIN turns t ON t.shop_id = p.shop_id "
                "WHERE p.state = 'queued' AND p.not_before <= ? "
                "ORDER BY COALESCE(t.served_at, 0), p.queued_at LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE pyramids SET state = 'tiling', attempts = attempts + 1 "
                "WHERE sha256 = ? AND state = 'queued'",
                (row["sha256"],),
            )
            db.execute("INSERT OR REPLACE INTO turns VALUES (?, ?)", (row["shop_id"], time.time()))
        return self.pyramid(row["sha256"])

    def finish(self, sha256: str, tiles: int, disk_bytes: int) -> None:
        with self.tx() as db:
            db.execute(
                "UPDATE pyramids SET state = 'done', reason = '', tiles = ?, disk_bytes = ? "
                "WHERE sha256 = ?",
                (tiles, disk_bytes, sha256),
            )

    def fail(self, sha256: str, reason: str, *, retry_at: float | None) -> None:
        """A refusal (retry_at None) is final; a transient error goes back in the queue."""
        state = "failed" if retry_at is None else "queued"
        with self.tx() as db:
            db.execute(
                "UPDATE pyramids SET state = ?, reason = ?, not_before = ? WHERE sha256 = ?",
                (state, reason[:300], retry_at or 0, sha256),
            )

    def requeue(self, shas: list[str]) -> int:
        """Tile again (the seller's button): attempts start over."""
        if not shas:
            return 0
        marks = ",".join("?" * len(shas))
        with self.tx() as db:
            cursor = db.execute(
                f"UPDATE pyramids SET state = 'queued', attempts = 0, reason = '', not_before = 0, "  # noqa: S608
                f"queued_at = ? WHERE sha256 IN ({marks}) AND state IN ('done', 'failed')",
                (time.time(), *shas),
            )
            return cursor.rowcount

    def recover(self) -> int:
        """At start: pyramids left 'tiling' by a process that stopped go back in the queue."""
        with self.tx() as db:
            return db.execute(
                "UPDATE pyramids SET state = 'queued' WHERE state = 'tiling'"
            ).rowcount

    def orphans(self) -> list[str]:
        """Pyramids no picture shows any more: their tiles can go."""
        rows = self.rows(
            "SELECT sha256 FROM pyramids WHERE sha256 NOT IN "
            "(SELECT sha256 FROM pictures WHERE sha256 IS NOT NULL)"
        )
        return [r["sha256"] for r in rows]

    def forget_pyramid(self, sha256: str) -> None:
        with self.tx() as db:
            db.execute("DELETE FROM pyramids WHERE sha256 = ?", (sha256,))

    def counts(self, shop_id: str) -> dict[str, int]:
        """Of the shop's pictures with an original: how many pyramids are in each state."""
        rows = self.rows(
            "SELECT y.state, COUNT(DISTINCT y.sha256) AS n, SUM(y.disk_bytes) AS bytes "
            "FROM pictures p JOIN pyramids y ON y.sha256 = p.sha256 WHERE p.shop_id = ? "
            "GROUP BY y.state",
            shop_id,
        )
        counts = {r["state"]: int(r["n"]) for r in rows}
        counts["disk_bytes"] = sum(int(r["bytes"] or 0) for r in rows)
        return counts


def _picture(row: sqlite3.Row) -> Picture:
    return Picture(
        item_id=row["item_id"], position=row["position"], sha256=row["sha256"], url=row["url"],
        width=row["width"], height=row["height"], preview_url=row["preview_url"],
        size_bytes=row["size_bytes"],
    )  # fmt: skip


def _pyramid(row: sqlite3.Row) -> Pyramid:
    return Pyramid(
        sha256=row["sha256"], shop_id=row["shop_id"], url=row["url"], width=row["width"],
        height=row["height"], size_bytes=row["size_bytes"], state=row["state"],
        attempts=row["attempts"], reason=row["reason"], tiles=row["tiles"],
        disk_bytes=row["disk_bytes"],
    )  # fmt: skip
