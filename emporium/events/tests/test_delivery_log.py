"""The developer's delivery log: filtered by topic, the 5-second analytics batches hidden unless
asked for, and success shown in success colours (issue 23, point 12)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from emporium.events import dispatcher, outbox
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dev_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


@pytest.fixture
def busy_endpoint(endpoint, shop):
    """One shop.updated delivery and three analytics batches, all delivered."""
    update_shop(shop, name="Renamed", description="")
    for n in range(3):
        outbox.record("customer_events.collected", shop=shop, data={"events": [{"n": n}]})
    dispatcher.run_once()
    assert endpoint.deliveries.filter(status="delivered").count() == 4
    return endpoint


def url_of(endpoint) -> str:
    return f"/developers/apps/{endpoint.app.public_id}/webhooks/{endpoint.pk}/"


def topics_listed(client: Client, url: str) -> list[str]:
    page = client.get(url)
    return [delivery.event.topic for delivery in page.context["page"].object_list]


def test_the_analytics_batches_are_hidden_by_default(dev_client, busy_endpoint):
    assert topics_listed(dev_client, url_of(busy_endpoint)) == ["shop.updated"]


def test_the_batches_show_when_asked_for(dev_client, busy_endpoint):
    listed = topics_listed(dev_client, url_of(busy_endpoint) + "?batches=1")
    assert sorted(listed) == ["customer_events.collected"] * 3 + ["shop.updated"]


def test_the_log_filters_by_topic(dev_client, busy_endpoint):
    url = url_of(busy_endpoint)
    assert (
        topics_listed(dev_client, url + "?topic=customer_events.collected")
        == ["customer_events.collected"] * 3
    )
    assert topics_listed(dev_client, url + "?topic=shop.updated") == ["shop.updated"]
    assert topics_listed(dev_client, url + "?topic=order.paid") == []


def test_an_unknown_topic_filters_nothing_and_is_not_echoed(dev_client, busy_endpoint):
    page = dev_client.get(url_of(busy_endpoint) + "?topic=<script>")
    assert page.status_code == 200 and page.context["topic"] == ""
    assert "<script>" not in page.content.decode()


def test_a_delivered_badge_is_green_in_the_browser(page, sign_in, developer, busy_endpoint):
    sign_in(page, developer)
    page.goto(url_of(busy_endpoint))
    badge = page.locator("[data-testid=delivery] .badge").first
    assert badge.inner_text().lower() == "delivered"
    # --ok (#1a7f37), not the accent orange every badge had before.
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(26, 127, 55)"
    page.select_option("[data-testid=topic-filter]", "customer_events.collected")
    page.click("[data-testid=delivery-filter] button")
    expect(page.locator("[data-testid=delivery]")).to_have_count(3)
    assert page.locator("[data-testid=delivery] code").first.inner_text() == (
        "customer_events.collected"
    )
