"""The app's own storage: one SQLite file of shops, album pictures, uploads and description jobs.

The album is the app's index over pictures the platform serves: pictures of the shop's picture
space (uploaded through the app or elsewhere) and the pictures of its items. The app keeps what
the platform does not: tags, the dominant colour, a perceptual hash to spot duplicates.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS shop (
    shop_id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL DEFAULT 'free',
    installed INTEGER NOT NULL DEFAULT 1, imported_at TEXT
);
CREATE TABLE IF NOT EXISTS picture (
    shop_id TEXT NOT NULL, album_id TEXT NOT NULL,
    source TEXT NOT NULL,               -- 'space' (picture space) or 'item' (an item's picture)
    picture_id TEXT,                    -- the platform's picture id, for 'space'
    key TEXT NOT NULL,                  -- content address: what a design's picture setting takes
    name TEXT NOT NULL, folder TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '[]',
    item_id TEXT, item_title TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0,
    url TEXT NOT NULL, thumbnail_url TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
    colour TEXT, dhash TEXT,            -- filled by the analysis pass (album.analyse)
    PRIMARY KEY (shop_id, album_id)
);
CREATE INDEX IF NOT EXISTS picture_key ON picture (shop_id, key);
CREATE TABLE IF NOT EXISTS upload (
    shop_id TEXT NOT NULL, fingerprint TEXT NOT NULL, album_id TEXT NOT NULL,
    PRIMARY KEY (shop_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS job (
    job_id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, template TEXT NOT NULL,
    options TEXT NOT NULL, created_at TEXT NOT NULL,
    state TEXT NOT NULL                 -- running, done, failed, undoing, undone
);
CREATE TABLE IF NOT EXISTS job_item (
    job_id TEXT NOT NULL, item_id TEXT NOT NULL, title TEXT NOT NULL,
    before TEXT NOT NULL, after TEXT NOT NULL,
    state TEXT NOT NULL,                -- planned, applied, undone, failed
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, item_id)
);
"""


@dataclass
class Picture:
    album_id: str
    source: str
    key: str
    name: str
    url: str
    thumbnail_url: str
    width: int
    height: int
    picture_id: str | None = None
    folder: str = ""
    tags: list[str] = field(default_factory=list)
    item_id: str | None = None
    item_title: str = ""
    position: int = 0
    colour: str | None = None
    dhash: str | None = None

    def public(self) -> dict[str, Any]:
        """What the embedded page receives."""
        return {
            "id": self.album_id, "source": self.source, "key": self.key, "name": self.name,
            "folder": self.folder, "tags": self.tags, "item_id": self.item_id,
            "item_title": self.item_title, "url": self.url, "thumbnail_url": self.thumbnail_url,
            "width": self.width, "height": self.height, "colour": self.colour,
        }  # fmt: skip


COLUMNS = ("album_id", "source", "picture_id", "key", "name", "folder", "tags", "item_id",
           "item_title", "position", "url", "thumbnail_url", "width", "height", "colour", "dhash")  # fmt: skip


def _picture(row: sqlite3.Row) -> Picture:
    values = {name: row[name] for name in COLUMNS}
    values["tags"] = json.loads(values["tags"])
    return Picture(**values)


@dataclass
class Shop:
    shop_id: str
    name: str
    plan: str = "free"
    installed: bool = True
    imported_at: str | None = None


class Store:
    """Connections are short-lived and per call: the web process calls from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()  # one writer at a time inside this process
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection whose `with` block is one transaction (committed, or rolled back)."""
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:
                yield db

    # --- shops ----------------------------------------------------------------------------

    def save_shop(self, shop: Shop) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT INTO shop (shop_id, name, plan, installed, imported_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id) DO UPDATE SET name = excluded.name,"
                " plan = excluded.plan, installed = excluded.installed,"
                " imported_at = COALESCE(excluded.imported_at, shop.imported_at)",
                (shop.shop_id, shop.name, shop.plan, int(shop.installed), shop.imported_at),
            )

    def shop(self, shop_id: str) -> Shop | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM shop WHERE shop_id = ?", (shop_id,)).fetchone()
        if row is None:
            return None
        return Shop(row["shop_id"], row["name"], row["plan"], bool(row["installed"]),
                    row["imported_at"])  # fmt: skip

    def shops(self) -> list[Shop]:
        with self.connect() as db:
            rows = db.execute("SELECT shop_id FROM shop ORDER BY name").fetchall()
        return [s for s in (self.shop(r["shop_id"]) for r in rows) if s]

    def set_installed(self, shop_id: str, installed: bool) -> None:
        with self.connect() as db:
            db.execute("UPDATE shop SET installed = ? WHERE shop_id = ?", (int(installed), shop_id))

    def forget(self, shop_id: str) -> None:
        """Erasure: nothing of the shop stays."""
        with self.connect() as db:
            for table in ("shop", "picture", "upload", "job"):
                db.execute(f"DELETE FROM {table} WHERE shop_id = ?", (shop_id,))  # noqa: S608
            db.execute(
                "DELETE FROM job_item WHERE job_id NOT IN (SELECT job_id FROM job)",
            )

    # --- album ----------------------------------------------------------------------------

    def put_pictures(self, shop_id: str, pictures: list[Picture]) -> None:
        """Insert or refresh; tags, folder, colour and hash the app already knows are kept."""
        rows = [
            (shop_id, p.album_id, p.source, p.picture_id, p.key, p.name, p.folder,
             json.dumps(p.tags, ensure_ascii=False), p.item_id, p.item_title, p.position, p.url,
             p.thumbnail_url, p.width, p.height, p.colour, p.dhash)
            for p in pictures
        ]  # fmt: skip
        with self.connect() as db:
            db.executemany(
                "INSERT INTO picture (shop_id, album_id, source, picture_id, key, name, folder,"
                " tags, item_id, item_title, position, url, thumbnail_url, width, height, colour,"
                " dhash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (shop_id, album_id) DO UPDATE SET key = excluded.key,"
                " item_title = excluded.item_title, position = excluded.position,"
                " url = excluded.url, thumbnail_url = excluded.thumbnail_url,"
                " width = excluded.width, height = excluded.height",
                rows,
            )

    def pictures(
        self, shop_id: str, where: str = "", params: tuple[Any, ...] = ()
    ) -> list[Picture]:
        # `where` is always one of this app's own literal conditions, never user text.
        sql = "SELECT * FROM picture WHERE shop_id = ?" + (f" AND ({where})" if where else "")  # noqa: S608
        with self.connect() as db:
            rows = db.execute(sql + " ORDER BY folder, item_title, position, name",
                              (shop_id, *params)).fetchall()  # fmt: skip
        return [_picture(r) for r in rows]

    def picture(self, shop_id: str, album_id: str) -> Picture | None:
        found = self.pictures(shop_id, "album_id = ?", (album_id,))
        return found[0] if found else None

    def drop_item_pictures(self, shop_id: str, item_id: str, keep: set[str]) -> None:
        """An item's pictures that are gone from the item leave the album."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT album_id FROM picture WHERE shop_id = ? AND item_id = ? AND source = 'item'",
                (shop_id, item_id),
            ).fetchall()
            gone = [(shop_id, r["album_id"]) for r in rows if r["album_id"] not in keep]
            db.executemany("DELETE FROM picture WHERE shop_id = ? AND album_id = ?", gone)

    def update_picture(self, shop_id: str, album_id: str, **values: Any) -> None:
        allowed = {"folder", "tags", "name", "colour", "dhash"}
        if not values or not set(values) <= allowed:
            raise ValueError(f"only {sorted(allowed)} change")
        if "tags" in values:
            values["tags"] = json.dumps(values["tags"], ensure_ascii=False)
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.connect() as db:
            db.execute(
                f"UPDATE picture SET {assignments} WHERE shop_id = ? AND album_id = ?",  # noqa: S608
                (*values.values(), shop_id, album_id),
            )

    def delete_picture(self, shop_id: str, album_id: str) -> None:
        with self.connect() as db:
            db.execute(
                "DELETE FROM picture WHERE shop_id = ? AND album_id = ?", (shop_id, album_id)
            )
            db.execute("DELETE FROM upload WHERE shop_id = ? AND album_id = ?", (shop_id, album_id))

    # --- resumable uploads ------------------------------------------------------------------

    def uploaded(self, shop_id: str, fingerprints: list[str]) -> dict[str, str]:
        """Of these browser-side file fingerprints, those already uploaded → their album id."""
        marks = ",".join("?" for _ in fingerprints) or "''"
        with self.connect() as db:
            rows = db.execute(
                f"SELECT fingerprint, album_id FROM upload WHERE shop_id = ?"  # noqa: S608
                f" AND fingerprint IN ({marks})",
                (shop_id, *fingerprints),
            ).fetchall()
        return {r["fingerprint"]: r["album_id"] for r in rows}

    def mark_uploaded(self, shop_id: str, fingerprint: str, album_id: str) -> None:
        with self.connect() as db:
            db.execute("INSERT OR REPLACE INTO upload VALUES (?, ?, ?)",
                       (shop_id, fingerprint, album_id))  # fmt: skip
