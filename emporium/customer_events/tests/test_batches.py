"""publish_batches: per shop, at most 500 events an outbox event, only where analytics is installed."""

import pytest

from emporium.customer_events.batches import BATCH_SIZE, publish_batches
from emporium.customer_events.models import CustomerEvent
from emporium.customer_events.tests.conftest import item_page, page_view
from emporium.ecosystem.installations import installed, uninstall
from emporium.events.models import Event

pytestmark = pytest.mark.django_db
TOPIC = "customer_events.collected"


def store(post_events, page, n):
    for start in range(0, n, 50):
        assert post_events([page_view(page) for _ in range(min(50, n - start))]).status_code == 204


def shop_page(shop):
    return {"type": "shop", "path": f"/shop/{shop.slug}/", "shop_id": str(shop.public_id)}


def test_events_are_batched_per_shop_500_at_most(
    post_events, analytics_app, shop, other_shop, item
):
    installed(analytics_app, shop, ["analytics:read", "items:read"])
    installed(analytics_app, other_shop, ["analytics:read"])
    store(post_events, item_page(item), BATCH_SIZE + 20)
    store(post_events, shop_page(other_shop), 30)
    store(post_events, {"type": "home", "path": "/"}, 5)  # a marketplace page: no shop

    assert publish_batches() == 3

    batches = Event.objects.filter(topic=TOPIC).order_by("id")
    sizes = [(b.shop_id, len(b.data["events"])) for b in batches]
    assert sorted(sizes) == sorted([(shop.pk, 500), (shop.pk, 20), (other_shop.pk, 30)])
    delivered = batches.filter(shop=other_shop).get().data["events"][0]
    assert delivered["shop_id"] == str(other_shop.public_id)
    assert delivered["name"] == "page_viewed" and delivered["event_id"].startswith("cev_")
    assert delivered["page"]["type"] == "shop" and delivered["region"]["province"] == "Zhejiang"
    assert CustomerEvent.objects.filter(published_at__isnull=True).count() == 5
    assert publish_batches() == 0, "published events are not sent twice"


def test_events_of_one_batch_keep_their_order_and_each_appears_once(
    post_events, analytics_app, shop, item
):
    installed(analytics_app, shop, ["analytics:read"])
    store(post_events, item_page(item), 60)
    publish_batches()
    ids = [e["event_id"] for e in Event.objects.get(topic=TOPIC).data["events"]]
    assert ids == list(CustomerEvent.objects.order_by("id").values_list("event_id", flat=True))


def test_shops_without_an_analytics_app_get_no_batches(post_events, analytics_app, shop, item):
    installed(analytics_app, shop, ["items:read", "orders:read"])
    store(post_events, item_page(item), 3)
    assert publish_batches() == 0

    installed(analytics_app, shop, ["analytics:read"])
    uninstall(analytics_app, shop)
    assert publish_batches() == 0
    assert not Event.objects.filter(topic=TOPIC).exists()


def test_a_delivered_event_has_the_documented_fields(post_events, analytics_app, shop, item):
    installed(analytics_app, shop, ["analytics:read"])
    post_events([
        page_view(item_page(item), referrer="https://www.baidu.com/s?wd=x", utm={"source": "wb"}),
        page_view(item_page(item), type="engaged_time", engaged_ms=4200),
    ])  # fmt: skip
    publish_batches()
    viewed, engaged = Event.objects.get(topic=TOPIC).data["events"]

    assert set(viewed) == {
        "event_id", "name", "received_at", "shop_id", "visitor_id", "session_id",
        "page_view_id", "page", "region", "referrer", "utm",
    }  # fmt: skip
    assert viewed["page"] == {
        "type": "item", "path": f"/item/{item.public_id}/", "item_id": str(item.public_id),
        "category_id": item.category_id, "shop_category_id": None, "search": None,
    }  # fmt: skip
    assert viewed["referrer"] == "https://www.baidu.com/s" and viewed["utm"] == {"source": "wb"}
    assert viewed["received_at"].endswith("Z")
    assert engaged["engaged_ms"] == 4200 and engaged["visitor_id"] == viewed["visitor_id"]
