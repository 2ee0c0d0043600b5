"""One cap on every request body, declared or streamed (issue 22, hole 10)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.urls import reverse

from emporium.lib import bodycap


def test_a_declared_body_over_the_cap_is_refused_unread(client, settings, db):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    for url in [reverse("members:login"), "/api/v1/items", "/collect"]:
        response = client.post(url, "x" * 2000, content_type="application/json")
        assert response.status_code == 413, url
        assert response.json()["error"]["code"] == "body_too_large"
    assert client.post(reverse("members:login"), {"username": "a"}).status_code == 200


def test_a_streamed_body_is_cut_off_at_the_cap():
    seen: list[str] = []

    async def app(scope, receive, send):  # reads like Django's ASGI handler: until the end
        while True:
            message = await receive()
            seen.append(message["type"])
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                return

    chunks = [{"type": "http.request", "body": b"x" * 400, "more_body": True} for _ in range(10)]

    async def receive():
        return chunks.pop(0)

    async def send(message):
        raise AssertionError("nothing is sent")

    capped = bodycap.asgi(app, lambda: 1000)
    # Its own thread: Playwright's sync API may have left a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, capped({"type": "http", "headers": []}, receive, send)).result()
    assert seen == ["http.request", "http.request", "http.disconnect"]
    assert len(chunks) == 7  # the rest was never read
