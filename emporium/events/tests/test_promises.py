"""What the docs promise developers about deliveries: a receiver back from an outage catches up at
once, the topics they tick are the topics they get, and the times they read are the zone they see."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from emporium.events import dispatcher, endpoints, schedule
from emporium.events.models import Delivery, WebhookEndpoint
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


def failing_twice(shop, receiver, frozen_clock) -> Delivery:
    """A delivery whose second failure put its next try 5 minutes away."""
    receiver.mode = "down"
    update_shop(shop, name="Renamed", description="")
    dispatcher.run_once()
    frozen_clock.advance(timedelta(seconds=5))
    dispatcher.run_once()
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at > frozen_clock.now() + timedelta(minutes=4)
    receiver.mode = "ok"
    return delivery


def test_a_successful_test_message_releases_the_waiting_deliveries_at_once(
    endpoint, shop, receiver, frozen_clock
):
    delivery = failing_twice(shop, receiver, frozen_clock)
    assert endpoints.test_message(endpoint).ok
    dispatcher.run_once()
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_a_success_releases_waiting_deliveries_even_when_the_endpoint_looked_healthy(
    endpoint, shop, receiver, frozen_clock
):
    # Within one batch a failure and a success race: the success saw `failing_since` unset.
    delivery = failing_twice(shop, receiver, frozen_clock)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
    update_shop(shop, name="Renamed again", description="")
    dispatcher.run_once()
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_a_release_never_touches_a_delivery_another_worker_has_leased(
    endpoint, shop, receiver, frozen_clock
):
    update_shop(shop, name="Renamed", description="")
    dispatcher.publish()
    [leased] = dispatcher._claim(frozen_clock.now())
    assert endpoints.test_message(endpoint).ok
    leased.refresh_from_db()
    assert leased.next_attempt_at == frozen_clock.now() + schedule.LEASE


@pytest.fixture
def dev_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


def test_the_form_saves_only_the_ticked_topics_though_every_topic_stays_checked(
    dev_client, app, receiver
):
    page = f"/developers/apps/{app.public_id}/webhooks/"
    # The form opens with "every topic" checked; a developer who ticks one topic means that one.
    assert 'name="all_topics" value="1" checked' in dev_client.get(page).content.decode()
    dev_client.post(page, {"url": receiver.url, "all_topics": "1", "topics": ["order.paid"]})
    assert WebhookEndpoint.objects.get(app=app).topics == ["order.paid"]


def test_times_on_the_endpoint_page_carry_the_zone_they_are_shown_in(
    dev_client, developer, app, endpoint
):
    developer.timezone = "Asia/Shanghai"
    developer.save()
    since = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=since)
    page = dev_client.get(f"/developers/apps/{app.public_id}/webhooks/{endpoint.pk}/")
    text = page.content.decode()
    assert "2026-06-01 17:00 (Asia/Shanghai)" in text
    assert "17:00 UTC" not in text
