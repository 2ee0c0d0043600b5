"""Keeps a web worker's long-lived objects out of the garbage collector's full collections.

A worker freezes what start-up loaded (gc.freeze), but much of what lives as long as the worker
is only built by its first requests: URL patterns, compiled templates, translation catalogues,
the ORM's caches. Left tracked, every full collection walks them again: ~0.1 s stopped in the
middle of a request, several times a minute under load (docs/performance.md, "Garbage collector
pauses"). So the worker also freezes after its 100th, 1,000th and 10,000th request, once a full
collection has removed what was garbage; later growth is what requests make and drop.
"""

import gc
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

SETTLE_AFTER = (100, 1_000, 10_000)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def settle() -> None:
    """Collect what is garbage now, then keep what is left out of later collections."""
    gc.collect()
    gc.freeze()


class _Counter:
    def __init__(self, after: tuple[int, ...]) -> None:
        self._after = frozenset(after)
        self._count = itertools.count(1)

    def tick(self) -> None:
        if next(self._count) in self._after:
            settle()


def wsgi(app: WSGIApp, after: tuple[int, ...] = SETTLE_AFTER) -> WSGIApp:
    """`app`, settling the heap before its requests numbered in `after`."""
    counter = _Counter(after)

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        counter.tick()
        return app(environ, start_response)

    return serve


def asgi(app: ASGIApp, after: tuple[int, ...] = SETTLE_AFTER) -> ASGIApp:
    """`app`, settling the heap before its HTTP requests numbered in `after`."""
    counter = _Counter(after)

    async def serve(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            counter.tick()
        await app(scope, receive, send)

    return serve
