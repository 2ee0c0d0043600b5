"""A worker settles its heap after its first requests: garbage collected, what is left frozen."""

import gc
import weakref
from typing import Any

from emporium.lib import heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_wsgi_worker_freezes_what_its_first_requests_kept_and_frees_their_garbage() -> None:
    kept: list[list[int]] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        kept.append([len(kept)])  # a template, a URL pattern: lives as long as the worker
        return [b"ok"]

    served = heap.wsgi(app, after=(3,))
    gc.unfreeze()
    try:
        served({}, None)
        served({}, None)
        assert gc.get_freeze_count() == 0
        garbage = Node()
        gone = weakref.ref(garbage)
        del garbage
        assert served({}, None) == [b"ok"]
        assert gone() is None, "the garbage was collected before freezing, not frozen with it"
        assert gc.get_freeze_count() > 0
        assert not any(obj is kept[0] for obj in gc.get_objects()), "kept is out of sight now"
        frozen = gc.get_freeze_count()
        served({}, None)
        assert gc.get_freeze_count() == frozen, "only at the counts asked for"
    finally:
        gc.unfreeze()


def run(coroutine: Any) -> None:
    """Drive a coroutine that never waits (asyncio.run refuses inside a running loop, which
    another test's browser may leave in this thread)."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise AssertionError("the app waited")


def test_the_asgi_worker_counts_http_requests_only() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        return None

    served = heap.asgi(app, after=(2,))
    gc.unfreeze()
    try:
        run(served({"type": "lifespan"}, None, None))
        run(served({"type": "http"}, None, None))
        assert gc.get_freeze_count() == 0
        run(served({"type": "http"}, None, None))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
