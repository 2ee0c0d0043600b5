"""POST /collect served from the WSGI or ASGI entry (fastpath.py) answers as the Django view does,
and keeps events."""

import asyncio
import concurrent.futures
import json

import httpx
import pytest

from emporium.customer_events import fastpath, journal
from emporium.customer_events.models import CustomerEvent
from emporium.customer_events.tests.conftest import BROWSER_UA, item_page, page_view

ORIGIN = "http://127.0.0.1"


async def _inner(scope, receive, send) -> None:
    """Stands for Django: whatever reaches it answers 299."""
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"django"})


def _inner_wsgi(environ, start_response):
    start_response("299 Django", [])
    return [b"django"]


INTERFACE = {"name": "asgi"}


@pytest.fixture(autouse=True, params=["asgi", "wsgi"])
def interface(request):
    """Every test runs against both entries: granian serves WSGI, uvicorn ASGI."""
    INTERFACE["name"] = request.param
    return request.param


def post(body, *, path="/collect", method="POST", host="127.0.0.1", **headers) -> httpx.Response:
    sent = {"Content-Type": "text/plain", "Origin": ORIGIN, "User-Agent": BROWSER_UA,
            "Host": host, **headers}  # fmt: skip
    content = body if isinstance(body, bytes | str) else json.dumps({"events": body})
    if INTERFACE["name"] == "wsgi":
        wsgi = httpx.WSGITransport(app=fastpath.wsgi(_inner_wsgi), remote_addr="223.5.5.5")
        with httpx.Client(transport=wsgi, base_url=f"http://{host}") as client:
            return client.request(method, path, content=content, headers=sent)
    transport = httpx.ASGITransport(app=fastpath.asgi(_inner), client=("223.5.5.5", 40000))

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
            return await client.request(method, path, content=content, headers=sent)

    # On a thread of its own: a Playwright test earlier in this process may have left its event
    # loop running on the main thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, send()).result()


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


def test_other_urls_and_methods_go_to_django():
    assert post([page_view()], path="/collect/").status_code == 299
    assert post([page_view()], path="/cart/").status_code == 299
    assert post(b"", method="GET").status_code == 299  # Django answers the 405


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        ([], {"Content-Type": "application/xml"}, 415, "unsupported_media_type"),
        ([], {"Origin": "https://elsewhere.example"}, 403, "foreign_origin"),
        (b"{not json", {}, 400, "malformed_json"),
        (b'{"events": 3}', {}, 400, "no_events"),
        (b"x" * (33 * 1024), {}, 413, "body_too_large"),
        ([{}] * 51, {}, 413, "too_many_events"),
    ],
)
def test_refusals_are_the_views(body, headers, status, code, db):
    response = post(body, **headers)
    assert response.status_code == status
    assert error_code(response) == code
    assert not list(journal.directory().glob("*.jsonl"))  # nothing written


def test_a_host_we_do_not_serve_is_refused():
    response = post([page_view()], host="evil.example")
    assert response.status_code == 400
    assert error_code(response) == "bad_host"


@pytest.mark.django_db(transaction=True)
def test_accepted_events_are_durable_before_the_answer_and_drained_into_the_database(item):
    events = [page_view(item_page(item)), page_view(item_page(item)), {"type": "nonsense"}]
    response = post(events, **{"X-Forwarded-For": "1.2.3.4"})
    assert response.status_code == 204
    assert response.headers["emporium-events-accepted"] == "2"
    assert response.headers["emporium-events-dropped"] == "1"
    assert not CustomerEvent.objects.exists()  # in the journal, on disk, until drained
    assert journal.drain() == 2
    stored = CustomerEvent.objects.get(page_view_id=events[0]["page_view_id"])
    assert stored.shop_id == item.shop_id
    assert stored.country == "CN"  # the socket's address (no trusted proxy), not the header's
