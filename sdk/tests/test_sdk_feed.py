"""The event feed consumer against the live platform: every event once, resumes, never skips a failure."""

import pytest
from emporium_sdk import FeedConsumer, JsonFileCursorStore, MemoryCursorStore

from emporium.events import dispatcher

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]
SKU = [{"options": {}, "price": "10.00", "stock": 1}]


def make_items(client, *titles: str) -> None:
    """Items created through the API: each one an `item.created` event, published for the feed."""
    for title in titles:
        client.items.create(title=title, category="dresses", skus=SKU)
    dispatcher.publish()


def titles(events) -> list[str]:
    return [e.data["item"]["title"] for e in events]


def test_the_consumer_hands_over_each_event_once_and_resumes_after_a_restart(client, tmp_path):
    make_items(client, "A", "B", "C")
    store = JsonFileCursorStore(tmp_path / "feed.json")
    seen = []
    consumer = FeedConsumer(client, seen.append, store, topic="item.created", limit=2)
    assert consumer.poll() == 3
    assert titles(seen) == ["A", "B", "C"]
    assert consumer.poll() == 0

    make_items(client, "D")
    again = JsonFileCursorStore(tmp_path / "feed.json")
    restarted = FeedConsumer(client, seen.append, again, topic="item.created")
    assert restarted.poll() == 1
    assert titles(seen) == ["A", "B", "C", "D"]


def test_a_failing_handler_does_not_move_the_cursor(client):
    make_items(client, "A", "B", "C")
    store, seen, failing = MemoryCursorStore(), [], {"B"}

    def handle(event):
        if event.data["item"]["title"] in failing:
            raise RuntimeError("the app's database is down")
        seen.append(event)

    consumer = FeedConsumer(client, handle, store, topic="item.created")
    with pytest.raises(RuntimeError):
        consumer.poll()
    assert titles(seen) == ["A"]
    assert store.load() is None  # nothing confirmed yet: a restart starts over

    failing.clear()
    assert consumer.poll() == 2  # B and C; A is not handed over twice by this process
    assert titles(seen) == ["A", "B", "C"]
    cursor = store.load()
    assert consumer.poll() == 0
    assert store.load() == cursor  # nothing new: the feed returns the same cursor


def test_the_feed_lists_every_topic_the_app_may_see(client, shop):
    make_items(client, "A")
    types = [e.type for e in client.events.list()]
    assert types == ["app.installed", "item.created"]
    assert all(e.shop_id == str(shop.public_id) for e in client.events.list())
    topics = {t.name for t in client.events.topics()}
    assert {"order.paid", "item.created", "app.installed"} <= topics
