"""Following the shop's items: at install every picture, then `item.*` events by webhook and by
the feed. A new or changed picture (by its original's hash) is queued for tiling once; the tiles
of a picture no item shows any more are deleted. Each event is handled once, by its id."""

import logging
from collections.abc import Callable
from typing import Any

from emporium_sdk import Client, Event, FeedConsumer

from emporium_zoom.store import Picture, Store
from emporium_zoom.work import Worker

log = logging.getLogger(__name__)
ITEM_TOPICS = {"item.created", "item.updated"}


def pictures_of(item: dict[str, Any]) -> list[Picture]:
    """An item's pictures as the API (and `item.*` events) describe them."""
    found = []
    for image in item.get("images") or []:
        original = image.get("original") or {}
        found.append(
            Picture(
                item_id=str(item["id"]), position=int(image["position"]),
                sha256=original.get("sha256"), url=original.get("url") or "",
                width=int(original.get("width") or image["width"]),
                height=int(original.get("height") or image["height"]),
                preview_url=(image.get("urls") or {}).get("1200", ""),
                size_bytes=int(original.get("size_bytes") or 0),
            )
        )  # fmt: skip
    return found


class Ingest:
    def __init__(
        self, store: Store, worker: Worker, client_for: Callable[[str], Client], min_side: int
    ) -> None:
        self.store, self.worker, self.client_for, self.min_side = (
            store,
            worker,
            client_for,
            min_side,
        )

    def handle(self, event: Event | dict[str, Any]) -> None:
        envelope = event if isinstance(event, dict) else event.model_dump(mode="json")
        if not self.store.first_time(str(envelope["id"])):
            return
        kind, shop_id = str(envelope["type"]), envelope.get("shop_id")
        data: dict[str, Any] = envelope.get("data") or {}
        if not shop_id:
            return
        if kind in ITEM_TOPICS and "item" in data:
            self.item_changed(shop_id, data["item"])
        elif kind == "item.deleted":
            self.store.delete_item(shop_id, str(data.get("item_id")))
            self.worker.collect_garbage()
        elif kind == "app.uninstalled":
            self.store.uninstalled(shop_id)
        elif kind == "app.erasure_requested":
            self.store.delete_shop(shop_id)
            self.worker.collect_garbage()

    def item_changed(self, shop_id: str, item: dict[str, Any]) -> None:
        if item.get("status") == "deleted":
            self.store.delete_item(shop_id, str(item["id"]))
        else:
            pictures = pictures_of(item)
            self.store.replace_item(shop_id, str(item["id"]), str(item.get("title", "")),
                                    str(item.get("status", "")), pictures)  # fmt: skip
            queued = 0
            for picture in pictures:
                if picture.sha256:
                    small = max(picture.width, picture.height) < self.min_side
                    queued += self.store.want(shop_id, picture, small=small)
            if queued:
                self.worker.wake.set()
        self.worker.collect_garbage()

    def refresh_items(self, shop_id: str) -> int:
        """At install (and on the seller's request): every item of the shop, all pages."""
        seen = set()
        with self.client_for(shop_id) as client:
            for status in ("on_sale", "stock_room"):
                for item in client.items.list(limit=100, status=status):
                    row = item.model_dump(mode="json")
                    self.item_changed(shop_id, row)
                    seen.add(str(row["id"]))
        for gone in self.store.item_ids(shop_id) - seen:
            self.store.delete_item(shop_id, gone)
        self.worker.collect_garbage()
        return len(seen)

    def catch_up(self, shop_id: str) -> int:
        """The shop's feed from the last cursor stored; returns events read."""
        key, store, read = f"feed:{shop_id}", self.store, 0

        class Cursor:
            def load(self) -> str | None:
                return store.get(key)

            def save(self, cursor: str) -> None:
                store.put(key, cursor)

        def on_event(event: Event) -> None:
            nonlocal read
            self.handle(event)
            read += 1

        with self.client_for(shop_id) as client:
            FeedConsumer(client, on_event, Cursor()).poll()
        return read

    def catch_up_all(self) -> int:
        total = 0
        for shop_id in self.store.shops():
            try:
                total += self.catch_up(shop_id)
            except Exception:  # one shop's failure must not stop the others
                log.exception("feed catch-up failed for shop %s", shop_id)
        return total
