"""Consume the event feed: call a handler per event, remember the cursor, resume where it stopped.

    consumer = FeedConsumer(client, handle, JsonFileCursorStore("var/feed.json"))
    consumer.run()          # or consumer.poll() from your own scheduler

The cursor is saved after a whole page has been handled. A handler that raises stops the
consumer before the cursor moves, so that event (and the rest of its page) comes again: delivery
is at least once, and handlers should be idempotent (the event `id` is a good key). Within one
process the events of a page already handled are not handed over twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from emporium_sdk.client import AsyncClient, Client
from emporium_sdk.models import EventOut

log = logging.getLogger("emporium_sdk.feed")
FEED_PATH = "/api/v1/events"


class CursorStore(Protocol):
    """Where a consumer keeps its position in the feed."""

    def load(self) -> str | None: ...

    def save(self, cursor: str) -> None: ...


class MemoryCursorStore:
    def __init__(self, cursor: str | None = None) -> None:
        self.cursor = cursor

    def load(self) -> str | None:
        return self.cursor

    def save(self, cursor: str) -> None:
        self.cursor = cursor


class JsonFileCursorStore:
    """The cursor in a small JSON file, replaced atomically (a torn write would lose the place)."""

    def __init__(self, path: str | os.PathLike[str], key: str = "events") -> None:
        self.path, self.key = Path(path), key

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        if not isinstance(data, dict):
            raise ValueError(f"{self.path} does not hold a JSON object")
        return data

    def load(self) -> str | None:
        return self._read().get(self.key)

    def save(self, cursor: str) -> None:
        data = self._read() | {self.key: cursor}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.path)


class _Position:
    """The cursor and the ids already handled in the page that starts there (this process only)."""

    def __init__(self, store: CursorStore) -> None:
        self.store = store
        self.handled: set[str] = set()

    def page_done(self, cursor: str) -> None:
        self.store.save(cursor)
        self.handled.clear()


class FeedConsumer:
    """Pulls `GET /api/v1/events` page by page and hands every event to `handler`."""

    def __init__(
        self,
        client: Client,
        handler: Callable[[EventOut], object],
        store: CursorStore,
        *,
        topic: str | None = None,
        limit: int = 100,
    ) -> None:
        self.client, self.handler, self.topic, self.limit = client, handler, topic, limit
        self._position = _Position(store)

    def poll(self) -> int:
        """Handle everything available now; returns how many events were handled."""
        count = 0
        while True:
            after = self._position.store.load()
            query = {"after": after, "limit": self.limit, "topic": self.topic}
            page = self.client.request("GET", FEED_PATH, query=query)
            for row in page["data"]:
                event = EventOut.model_validate(row)
                if event.id in self._position.handled:
                    continue
                self.handler(event)  # raising leaves the cursor where it was
                self._position.handled.add(event.id)
                count += 1
            self._position.page_done(page["next_cursor"])
            if not page.get("has_more"):
                return count

    def run(self, *, interval: float = 5.0, stop: threading.Event | None = None) -> None:
        """Poll until `stop` is set; a failing handler is retried after `interval` seconds."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                self.poll()
            except Exception:
                log.exception("event feed: handling failed; retrying from the saved cursor")
            stop.wait(interval)


class AsyncFeedConsumer:
    """The async twin of FeedConsumer; `handler` may be a coroutine function."""

    def __init__(
        self,
        client: AsyncClient,
        handler: Callable[[EventOut], Awaitable[object] | object],
        store: CursorStore,
        *,
        topic: str | None = None,
        limit: int = 100,
    ) -> None:
        self.client, self.handler, self.topic, self.limit = client, handler, topic, limit
        self._position = _Position(store)

    async def poll(self) -> int:
        count = 0
        while True:
            after = self._position.store.load()
            query = {"after": after, "limit": self.limit, "topic": self.topic}
            page = await self.client.request("GET", FEED_PATH, query=query)
            for row in page["data"]:
                event = EventOut.model_validate(row)
                if event.id in self._position.handled:
                    continue
                result = self.handler(event)
                if isinstance(result, Awaitable):
                    await result
                self._position.handled.add(event.id)
                count += 1
            self._position.page_done(page["next_cursor"])
            if not page.get("has_more"):
                return count

    async def run(self, *, interval: float = 5.0, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await self.poll()
            except Exception:
                log.exception("event feed: handling failed; retrying from the saved cursor")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
