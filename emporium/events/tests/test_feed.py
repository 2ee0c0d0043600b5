"""GET /api/v1/events: the same events by cursor, per shop and scope, kept seven days."""

from datetime import timedelta

import pytest

from emporium.api.tests.conftest import Api
from emporium.ecosystem.installations import installed
from emporium.events import dispatcher
from emporium.events.models import Event
from emporium.lib import clock
from emporium.shops.services import update_shop


@pytest.fixture
def feed(make_token, seller, installation):
    return Api(make_token(seller, "orders:read shop:read"))


def rename(shop, n: int) -> None:
    update_shop(shop, name=f"Mei's Closet {n}", description="")


def test_pages_follow_the_cursor_and_an_empty_page_keeps_it(feed, shop):
    for n in range(5):
        rename(shop, n)
    dispatcher.publish()
    first = feed.get("/events", {"limit": 3}).json()
    assert [e["type"] for e in first["data"]] == ["app.installed", "shop.updated", "shop.updated"]
    assert first["has_more"] is True
    second = feed.get("/events", {"after": first["next_cursor"], "limit": 3}).json()
    assert len(second["data"]) == 3 and second["has_more"] is False
    names = [e["data"]["shop"]["name"] for e in first["data"][1:] + second["data"]]
    assert names == [f"Mei's Closet {n}" for n in range(5)]
    empty = feed.get("/events", {"after": second["next_cursor"]}).json()
    assert empty == {"data": [], "next_cursor": second["next_cursor"], "has_more": False}


def test_the_feed_serves_what_the_webhook_sends(feed, shop, endpoint, receiver):
    import json

    rename(shop, 1)
    dispatcher.run_once()
    pushed = [json.loads(r.body) for r in receiver.received]
    pulled = feed.get("/events").json()["data"]
    assert [e["type"] for e in pulled] == ["app.installed", "shop.updated"]
    assert pulled[1:] == pushed  # the install was published before the endpoint existed


def test_unpublished_events_wait_so_no_reader_skips_one(feed, shop):
    rename(shop, 1)
    assert feed.get("/events").json()["data"] == []  # not yet given a position
    dispatcher.publish()
    assert len(feed.get("/events").json()["data"]) == 2


def test_topics_are_filtered_by_the_tokens_scopes_and_by_shop(
    make_token, seller, installation, shop, other_shop, app
):
    installed(app, other_shop, ["shop:read"])
    rename(shop, 1)
    update_shop(other_shop, name="Otto renamed", description="")
    dispatcher.publish()
    orders_only = Api(make_token(seller, "orders:read")).get("/events").json()["data"]
    assert [e["type"] for e in orders_only] == ["app.installed"]
    mine = Api(make_token(seller, "shop:read")).get("/events").json()["data"]
    assert all(e["shop_id"] == str(shop.public_id) for e in mine)


def test_another_apps_lifecycle_events_stay_private(
    make_token, seller, shop, installation, developer
):
    from emporium.api.tests.conftest import make_app

    other = make_app(developer, name="Other app")
    installed(other, shop, ["shop:read"])
    dispatcher.publish()
    data = Api(make_token(seller, "shop:read")).get("/events").json()["data"]
    assert [e["type"] for e in data] == ["app.installed"]
    assert data[0]["data"]["scopes"] != ["shop:read"]


def test_events_older_than_seven_days_are_gone(feed, shop):
    from emporium.events.tasks import forget_old_events

    rename(shop, 1)
    dispatcher.publish()
    clock.set_time(clock.now() + timedelta(days=8))
    try:
        assert feed.get("/events").json()["data"] == []
        assert forget_old_events() >= 2
        assert not Event.objects.exists()
    finally:
        clock.set_time(None)


def test_a_topic_filter_and_bad_input(feed, shop):
    rename(shop, 1)
    dispatcher.publish()
    only = feed.get("/events", {"topic": "shop.updated"}).json()["data"]
    assert [e["type"] for e in only] == ["shop.updated"]
    bad = feed.get("/events", {"after": "not-a-cursor"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    unknown = feed.get("/events", {"topic": "order.exploded"})
    assert unknown.status_code == 422


def test_the_topic_catalogue_is_public(client):
    topics = client.get("/api/v1/events/topics").json()
    paid = next(t for t in topics if t["name"] == "order.paid")
    assert paid == {
        "name": "order.paid",
        "version": 1,
        "scope": "orders:read",
        "description": "The buyer paid; the money is in escrow.",
        "data": "`order`: the order as `GET /api/v1/orders/{id}` returns it",
    }
