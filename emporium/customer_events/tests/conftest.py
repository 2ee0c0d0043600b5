"""Customer events fixtures: a browser's user agent, a batch poster, an analytics app."""

import json
import uuid

import pytest

from emporium.customer_events import collect, journal, visitors
from emporium.lib import clock

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Salts and public-id lookups are cached per process; each test starts without them."""
    visitors._salts.clear()
    collect.forget_cached()
    yield
    visitors._salts.clear()
    collect.forget_cached()
    clock.set_time(None)


def page_view(page=None, **extra) -> dict:
    event = {
        "type": "page_viewed",
        "page_view_id": uuid.uuid4().hex[:24],
        "session_id": "session-0001",
        "page": page or {"type": "home", "path": "/"},
    }
    event.update(extra)
    return event


def item_page(item) -> dict:
    return {
        "type": "item",
        "path": f"/item/{item.public_id}/",
        "item_id": str(item.public_id),
        "shop_id": str(item.shop.public_id),
    }


@pytest.fixture
def post_events(client):
    """POST a batch to /collect as collect.js would (text/plain), from a given IP and browser."""

    def post(events, *, ip="223.5.5.5", ua=BROWSER_UA, origin="http://testserver", **headers):
        body = events if isinstance(events, bytes | str) else json.dumps({"events": events})
        if origin is not None:  # browsers always send it; None plays a script that does not
            headers.setdefault("HTTP_ORIGIN", origin)
        response = client.post(
            "/collect", body, content_type=headers.pop("content_type", "text/plain"),
            REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **headers,
        )  # fmt: skip
        journal.drain()  # what the dispatcher does before it cuts batches
        return response

    return post


@pytest.fixture
def analytics_app(developer):
    from emporium.api.tests.conftest import make_app

    return make_app(developer, name="Shop Statistics")
