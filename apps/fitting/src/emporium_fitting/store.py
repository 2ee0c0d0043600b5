"""The app's own storage: shops that installed it and their models (SQLite + photo files).

Only sellers' model photos are written here. A buyer's photo never is: it lives in `rooms.py`.
"""

import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from emporium_fitting.face import Box, Face

SCHEMA = """
create table if not exists shops (
    shop_id text primary key, name text not null, plan text not null default 'free',
    installed integer not null default 1
);
create table if not exists models (
    id text primary key, shop_id text not null, item_id text, category text,
    name text not null, height_cm integer not null, weight_kg real not null,
    shape text not null, size text not null, face text, width integer not null,
    height integer not null, created_at text not null
);
create index if not exists models_by_item on models (shop_id, item_id);
"""
SHAPES = ("slim", "average", "athletic", "curvy", "plus")


@dataclass(frozen=True)
class Shop:
    shop_id: str
    name: str
    plan: str  # "free" (3 models per item) or "unlimited"
    installed: bool


@dataclass(frozen=True)
class Model:
    id: str
    shop_id: str
    item_id: str | None  # None: the model serves a whole category
    category: str | None
    name: str
    height_cm: int
    weight_kg: float
    shape: str
    size: str
    face: Face | None  # None until found, or marked by the seller
    width: int
    height: int

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "height_cm": self.height_cm,
            "weight_kg": self.weight_kg, "shape": self.shape, "size": self.size,
            "item_id": self.item_id, "category": self.category,
            "width": self.width, "height": self.height, "face": _face_json(self.face),
        }  # fmt: skip


def _face_json(face: Face | None) -> dict[str, object] | None:
    if face is None:
        return None
    box = face.box
    return {
        "box": [round(box.x, 1), round(box.y, 1), round(box.w, 1), round(box.h, 1)],
        "key_points": np.round(face.key_points(), 1).tolist(),
    }


class Store:
    def __init__(self, data_dir: Path) -> None:
        self.photos = data_dir / "models"
        self.photos.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(data_dir / "fitting.sqlite3", check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    # --- shops ---------------------------------------------------------------------------------

    def save_shop(self, shop: Shop) -> None:
        with self._lock, self._db:
            self._db.execute(
                "insert into shops values (?, ?, ?, ?) on conflict (shop_id) do update set "
                "name = excluded.name, plan = excluded.plan, installed = excluded.installed",
                (shop.shop_id, shop.name, shop.plan, int(shop.installed)),
            )

    def shop(self, shop_id: str) -> Shop | None:
        row = self._db.execute("select * from shops where shop_id = ?", (shop_id,)).fetchone()
        return Shop(row[0], row[1], row[2], bool(row[3])) if row else None

    def shops(self) -> list[Shop]:
        rows = self._db.execute("select * from shops order by name").fetchall()
        return [Shop(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # --- models --------------------------------------------------------------------------------

    def add_model(
        self, shop_id: str, *, item_id: str | None, category: str | None, name: str,
        height_cm: int, weight_kg: float, shape: str, size: str, photo: bytes,
        width: int, height: int, face: Face | None,
    ) -> Model:  # fmt: skip
        model_id = secrets.token_urlsafe(12)
        (self.photos / f"{model_id}.jpg").write_bytes(photo)
        with self._lock, self._db:
            self._db.execute(
                "insert into models values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (model_id, shop_id, item_id, category, name, height_cm, weight_kg, shape, size,
                 _dump(face), width, height, datetime.now(UTC).isoformat()),
            )  # fmt: skip
        model = self.model(model_id)
        assert model is not None
        return model

    def set_face(self, model_id: str, face: Face) -> None:
        with self._lock, self._db:
            self._db.execute("update models set face = ? where id = ?", (_dump(face), model_id))

    def delete_model(self, shop_id: str, model_id: str) -> bool:
        with self._lock, self._db:
            gone = self._db.execute(
                "delete from models where id = ? and shop_id = ?", (model_id, shop_id)
            ).rowcount
        if gone:
            (self.photos / f"{model_id}.jpg").unlink(missing_ok=True)
        return bool(gone)

    def model(self, model_id: str) -> Model | None:
        row = self._db.execute("select * from models where id = ?", (model_id,)).fetchone()
        return _model(row) if row else None

    def models_for(self, shop_id: str, item_id: str, category: str | None) -> list[Model]:
        """An item's own models, then those its seller set for the item's whole category."""
        rows = self._db.execute(
            "select * from models where shop_id = ? and (item_id = ? or "
            "(item_id is null and category = ?)) order by item_id is null, created_at",
            (shop_id, item_id, category or ""),
        ).fetchall()
        return [_model(r) for r in rows]

    def models_of_shop(self, shop_id: str) -> list[Model]:
        rows = self._db.execute(
            "select * from models where shop_id = ? order by created_at", (shop_id,)
        ).fetchall()
        return [_model(r) for r in rows]

    def count_for_item(self, shop_id: str, item_id: str | None, category: str | None) -> int:
        if item_id:
            sql, args = "item_id = ?", (shop_id, item_id)
        else:
            sql, args = "item_id is null and category = ?", (shop_id, category or "")
        row = self._db.execute(f"select count(*) from models where shop_id = ? and {sql}", args)  # noqa: S608 - fixed fragments
        return int(row.fetchone()[0])

    def photo_path(self, model_id: str) -> Path:
        return self.photos / f"{model_id}.jpg"


def _dump(face: Face | None) -> str | None:
    if face is None:
        return None
    box = face.box
    return json.dumps({"box": [box.x, box.y, box.w, box.h],
                       "points": np.round(face.points, 2).tolist()})  # fmt: skip


def _model(row: tuple[object, ...]) -> Model:
    face = None
    if row[9]:
        raw = json.loads(str(row[9]))
        face = Face(Box(*raw["box"]), np.array(raw["points"], dtype=np.float32))
    return Model(
        id=str(row[0]), shop_id=str(row[1]), item_id=str(row[2]) if row[2] else None,
        category=str(row[3]) if row[3] else None, name=str(row[4]), height_cm=int(str(row[5])),
        weight_kg=float(str(row[6])), shape=str(row[7]), size=str(row[8]), face=face,
        width=int(str(row[10])), height=int(str(row[11])),
    )  # fmt: skip
