"""The fitting room's rules, shared by its web routes, the demo and the bench."""

import threading
import time
from dataclasses import dataclass

import numpy as np
from emporium_sdk import (
    EmporiumError,
    Event,
    Installer,
    JsonFileTokenStore,
    OAuthApp,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
)

from emporium_fitting import fit, i18n, photos
from emporium_fitting.config import Config
from emporium_fitting.face import Box, Face, FaceFinder, HaarDetector, face_from_key_points
from emporium_fitting.rooms import Rooms
from emporium_fitting.store import SHAPES, Model, Shop, Store
from emporium_fitting.swap import swap

SCOPES = ["shop:read", "items:read"]
FREE_MODELS_PER_ITEM = 3
FACE_SIDE = 1200  # a buyer's photo is worked on at this size at most
ITEM_SECONDS = 300.0  # an item's sizes are asked of the API at most this often


class Refused(Exception):
    """A request the app turns down; `code` names the message in i18n."""

    def __init__(self, code: str, status: int = 422) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class ItemInfo:
    title: str
    category: str
    sizes: list[str]


@dataclass(frozen=True)
class Tried:
    session: str
    result: str
    model: Model
    size: str
    reason: str


class Fitting:
    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        oauth = OAuthApp(config.client_id, config.client_secret,
                         base_url=config.platform_url, redirect_uri=config.redirect_uri)  # fmt: skip
        self.installer = Installer(
            oauth, JsonFileTokenStore(config.data_dir / "tokens.json"),
            SqlitePendingStore(config.data_dir / "pending.sqlite3"), scopes=SCOPES,
        )  # fmt: skip
        self.store = Store(config.data_dir)
        detector = HaarDetector() if config.detector == "haar" else None
        self.finder = FaceFinder(detector)
        self.rooms = Rooms()
        secrets = config.webhook_secrets.split()
        self.verifier = WebhookVerifier(secrets) if secrets else None
        self._items: dict[tuple[str, str], tuple[float, ItemInfo]] = {}
        self._models: dict[str, np.ndarray] = {}  # decoded model photos, a few
        self._lock = threading.Lock()

    # --- install and webhooks --------------------------------------------------------------

    def finish_install(self, query: dict[str, str]) -> Shop:
        installed = self.installer.finish(query)
        with self.installer.client(installed.shop_id) as client:
            try:
                kind = client.billing.get_subscription().kind
            except EmporiumError:
                kind = "free"  # installed outside the market (a developer's sandbox)
        shop = Shop(installed.shop_id, installed.shop.name,
                    "free" if kind == "free" else "unlimited", True)  # fmt: skip
        self.store.save_shop(shop)
        return shop

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        shop = self.store.shop(event.shop_id) if event.shop_id else None
        if event.type == "app.uninstalled" and shop:
            self.store.save_shop(Shop(shop.shop_id, shop.name, shop.plan, False))
        return event

    # --- items (through the API) -----------------------------------------------------------

    def item(self, shop_id: str, item_id: str) -> ItemInfo:
        key = (shop_id, item_id)
        cached = self._items.get(key)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        with self.installer.client(shop_id) as client:
            item = client.items.get(item_id)
        option = fit.size_option(item.option_names)
        sizes = [s.options[option] for s in item.skus if option and option in s.options]
        info = ItemInfo(item.title, item.category, fit.order_sizes(sizes))
        self._items[key] = (time.monotonic() + ITEM_SECONDS, info)
        return info

    def items(self, shop_id: str) -> list[tuple[str, ItemInfo]]:
        with self.installer.client(shop_id) as client:
            found = []
            for item in client.items.list(status="on_sale"):
                option = fit.size_option(item.option_names)
                sizes = [s.options[option] for s in item.skus if option and option in s.options]
                found.append((item.id, ItemInfo(item.title, item.category,
                                                fit.order_sizes(sizes))))  # fmt: skip
        return found

    # --- models (the seller's) -------------------------------------------------------------

    def add_model(
        self, shop_id: str, *, item_id: str | None, category: str | None, name: str,
        height_cm: int, weight_kg: float, shape: str, size: str, photo: bytes,
    ) -> Model:  # fmt: skip
        shop = self.store.shop(shop_id)
        if not name.strip() or shape not in SHAPES or not size.strip():
            raise Refused("bad_model")
        if not (120 <= height_cm <= 220 and 30 <= weight_kg <= 200) or not (item_id or category):
            raise Refused("bad_model")
        plan = shop.plan if shop else "free"
        if plan == "free" and self.store.count_for_item(shop_id, item_id, category) >= (
            FREE_MODELS_PER_ITEM
        ):
            raise Refused("limit_reached", 403)
        try:
            rgb = photos.decode(photo)
        except photos.PhotoError as error:
            raise Refused(error.code) from None
        try:
            face: Face | None = self.finder.find(rgb)
        except photos.PhotoError:
            face = None  # the seller marks it by hand
        return self.store.add_model(
            shop_id, item_id=item_id, category=category, name=name.strip(),
            height_cm=height_cm, weight_kg=weight_kg, shape=shape, size=size.strip(),
            photo=photos.encode_jpeg(rgb, quality=92), width=rgb.shape[1], height=rgb.shape[0],
            face=face,
        )  # fmt: skip

    def mark_face(self, shop_id: str, model_id: str, box: Box, key_points: np.ndarray) -> Model:
        """The seller's box and five points: the mesh inside the box, or the template on them."""
        model = self.store.model(model_id)
        if model is None or model.shop_id != shop_id:
            raise Refused("unknown_model", 404)
        rgb = self.model_photo(model)
        face = self.finder.landmarks_at(rgb, box)
        if face is None or _far(face.key_points(), key_points, box):
            face = face_from_key_points(key_points, box)
        self.store.set_face(model_id, face)
        with self._lock:
            self._models.pop(model_id, None)
        found = self.store.model(model_id)
        assert found is not None
        return found

    def model_photo(self, model: Model) -> np.ndarray:
        with self._lock:
            cached = self._models.get(model.id)
        if cached is None:
            cached = photos.decode(self.store.photo_path(model.id).read_bytes())
            with self._lock:
                if len(self._models) >= 16:
                    self._models.pop(next(iter(self._models)))
                self._models[model.id] = cached
        return cached

    # --- the buyer's fitting room ----------------------------------------------------------

    def models_for(self, shop_id: str, item_id: str) -> list[Model]:
        info = self.item(shop_id, item_id)
        return [m for m in self.store.models_for(shop_id, item_id, info.category) if m.face]

    def open_room(self, shop_id: str, photo: bytes) -> str:
        """Read the buyer's photo (in memory) and find its face; returns the session's token."""
        rgb = photos.shrink(photos.decode(photo), FACE_SIDE)
        face = self.finder.find(rgb)  # PhotoError: no partial result, nothing kept
        return self.rooms.open(rgb, face, shop_id)

    def try_on(
        self, session_token: str, shop_id: str, item_id: str, model_id: str, build: fit.Build,
        lang: str,
    ) -> Tried:  # fmt: skip
        session = self.rooms.session(session_token)
        if session is None or session.shop_id != shop_id:
            raise Refused("expired", 410)
        model = next((m for m in self.models_for(shop_id, item_id) if m.id == model_id), None)
        if model is None or model.face is None:
            raise Refused("unknown_model", 404)
        result = swap(self.model_photo(model), model.face, session.photo, session.face)
        token = self.rooms.keep(session_token, photos.encode_jpeg(result.image))
        size, reason = self.size_for(model, build, self.item(shop_id, item_id).sizes, lang)
        return Tried(session_token, token, model, size, reason)

    def size_for(
        self, model: Model, build: fit.Build, sizes: list[str], lang: str
    ) -> tuple[str, str]:
        suggestion = fit.suggest(model, build, sizes)
        t = i18n.table(lang)
        diff = t["same_build"] if suggestion.steps == 0 else (
            t["bigger"] if suggestion.steps > 0 else t["smaller"])  # fmt: skip
        reason = t["size_reason"].format(
            name=model.name, height=model.height_cm, weight=f"{model.weight_kg:g}",
            model_size=model.size, diff=diff, size=suggestion.size,
        )  # fmt: skip
        return suggestion.size, reason


def _far(found: np.ndarray, marked: np.ndarray, box: Box) -> bool:
    """Whether the mesh's points disagree with the seller's (then the seller is right)."""
    return float(np.abs(found - marked).max()) > 0.15 * max(box.w, box.h)
