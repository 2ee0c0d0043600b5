"""Turning platform events into rows of the store: from webhooks, and from the feed after downtime.

Both paths call `handle(event)`; the store ignores an event id it already has, so an event that
arrives by webhook and again through the feed (or twice by webhook) counts once.
"""

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from emporium_sdk import Client, EmporiumError, Event, FeedConsumer

from emporium_stats import store as stats
from emporium_stats.shops import Registry

log = logging.getLogger(__name__)
Names = dict[str, dict[str, list[str]]]  # page kind → id → [English name, Chinese name]


def names_key(shop_id: str) -> str:
    return f"category_names:{shop_id}"


def category_names(client: Client) -> Names | None:
    """The platform's categories and the shop's own, by the ids customer events carry; None when
    the API refuses (an install without the scopes keeps showing ids)."""
    try:
        tree = client.categories.list()
        own = client.shop.categories()
    except EmporiumError as error:
        log.warning("category names not refreshed: %s", error)
        return None
    platform: dict[str, list[str]] = {}
    todo = list(tree)
    while todo:
        category = todo.pop()
        platform[str(category.id)] = [category.name, category.name_zh_hans or category.name]
        todo.extend(category.children)
    return {
        "category": platform,
        "shop_category": {str(c.id): [c.name, c.name] for c in own},
    }


ORDER_TOPICS = {"order.created", "order.paid", "order.shipped", "order.completed",
                "order.cancelled", "order.settled"}  # fmt: skip
ITEM_TOPICS = {"item.created", "item.updated", "item.deleted", "item.stock_changed"}


class Ingest:
    def __init__(
        self, store: stats.Store, registry: Registry, client_for: Callable[[str], Client]
    ) -> None:
        self.store = store
        self.registry = registry
        self.client_for = client_for  # a client for one installed shop (the SDK's Installer)
        self.lock = threading.Lock()

    def handle(self, event: Event | dict[str, Any]) -> None:
        """One event, as the SDK parsed it or as its JSON envelope."""
        envelope = event if isinstance(event, dict) else event.model_dump(mode="json")
        kind: str = envelope["type"]
        shop_id: str | None = envelope.get("shop_id")
        data: dict[str, Any] = envelope.get("data") or {}
        if kind == "customer_events.collected":
            with self.lock:
                stats.ingest_customer_events(self.store, data.get("events", []))
        elif kind in ORDER_TOPICS and shop_id:
            with self.lock:
                stats.ingest_orders(self.store, shop_id, [data["order"]])
        elif kind in ITEM_TOPICS and shop_id:
            self.refresh_items(shop_id)
        elif kind == "app.uninstalled" and shop_id:
            self.registry.uninstalled(shop_id, before=_timestamp(envelope.get("occurred_at")))
        elif kind == "app.erasure_requested" and shop_id:
            with self.lock:
                stats.delete_shop(self.store, shop_id)
            self.registry.forget(shop_id)

    def refresh_items(self, shop_id: str) -> int:
        """The shop's items as the API lists them (for 'unattended items': on sale, never viewed),
        and the names of the categories its pages are counted under."""
        with self.client_for(shop_id) as client:
            items = [item.model_dump(mode="json") for item in client.items.list(limit=100)]
            names = category_names(client)
        with self.lock:
            stats.replace_items(self.store, shop_id, items)
            if names is not None:
                stats.set_state(self.store, names_key(shop_id), json.dumps(names))
        return len(items)

    def backfill_orders(self, shop_id: str, days: int = 30) -> int:
        """At install: the shop's recent orders, which happened before any webhook could tell."""
        since = datetime.now(UTC) - timedelta(days=days)
        with self.client_for(shop_id) as client:
            orders = [o.model_dump(mode="json") for o in client.orders.list(created_after=since)]
        with self.lock:
            return stats.ingest_orders(self.store, shop_id, orders)

    def catch_up(self, shop_id: str) -> int:
        """Read the shop's feed from the last cursor this app stored; returns events handled."""
        cursor_key = f"feed:{shop_id}"
        store, handled = self.store, 0

        class Cursor:
            def load(self) -> str | None:
                return stats.get_state(store, cursor_key)

            def save(self, cursor: str) -> None:
                stats.set_state(store, cursor_key, cursor)

        def on_event(event: Event) -> None:
            nonlocal handled
            self.handle(event)
            handled += 1

        with self.client_for(shop_id) as client:
            FeedConsumer(client, on_event, Cursor()).poll()
        return handled

    def catch_up_all(self) -> int:
        total = 0
        for shop in self.registry.shops():
            if not shop.installed:
                continue
            try:
                total += self.catch_up(shop.shop_id)
            except Exception:  # one shop's failure must not stop the others
                log.exception("feed catch-up failed for shop %s", shop.shop_id)
        return total


def _timestamp(occurred_at: str | None) -> float | None:
    """Unix time of an event's `occurred_at` (ISO 8601, UTC), or None when it has none."""
    if not occurred_at:
        return None
    return datetime.fromisoformat(occurred_at.replace("Z", "+00:00")).timestamp()
