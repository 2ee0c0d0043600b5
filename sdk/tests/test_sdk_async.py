"""The async client does what the sync one does: same resources, same errors, same pages."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from emporium_sdk import AsyncClient, AsyncFeedConsumer, MemoryCursorStore, NotFoundError

from emporium.events import dispatcher

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API, used by browser tests earlier
    in the same session, leaves an event loop registered on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def async_client(live_server, oauth_app, token_store):
    return lambda: AsyncClient(live_server.url, oauth=oauth_app, token_store=token_store)


def test_the_async_client_reads_creates_pages_and_raises_alike(async_client, client, shop):
    async def scenario():
        async with async_client() as aclient:
            mine = await aclient.shop.get()
            created = [
                await aclient.items.create(
                    title=f"Async {n}",
                    category="dresses",
                    skus=[{"options": {}, "price": "10.00", "stock": 1}],
                )  # fmt: skip
                for n in range(3)
            ]
            listed = [item.id async for item in aclient.items.list(limit=2)]
            pages = [len(page.data) async for page in aclient.items.list(limit=2).pages()]
            try:
                await aclient.items.get("00000000-0000-0000-0000-000000000000")
            except NotFoundError as error:
                missing = error
            return mine, created, listed, pages, missing

    mine, created, listed, pages, missing = run_async(scenario())
    assert mine == client.shop.get()
    assert listed == [item.id for item in client.items.list()] == [c.id for c in created]
    assert pages == [2, 1]
    assert missing.code == "not_found" and missing.request_id.startswith("req_")


def test_the_async_feed_consumer_awaits_its_handler(async_client, client):
    client.items.create(
        title="Fed", category="dresses", skus=[{"options": {}, "price": "1.00", "stock": 1}]
    )
    dispatcher.publish()
    seen = []

    async def handle(event):
        await asyncio.sleep(0)
        seen.append(event.type)

    async def scenario():
        async with async_client() as aclient:
            consumer = AsyncFeedConsumer(aclient, handle, MemoryCursorStore())
            return await consumer.poll(), await consumer.poll()

    assert run_async(scenario()) == (2, 0)
    assert seen == ["app.installed", "item.created"]
