"""Webhook delivery to a real receiver: Standard Webhooks signatures, retries, back-off, disable."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from emporium_sdk.webhooks import verify_webhook
from standardwebhooks.webhooks import Webhook

from emporium.ecosystem.installations import installed
from emporium.events import dispatcher, endpoints
from emporium.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from emporium.events.schedule import MAX_ATTEMPTS, RETRY_DELAYS
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)


def change_shop(shop, n: int) -> None:
    update_shop(shop, name=f"Mei's Closet {n}", description="")


def test_deliveries_verify_with_the_standardwebhooks_package(endpoint, shop, receiver):
    change_shop(shop, 1)
    dispatcher.run_once()
    [got] = receiver.received
    event = Webhook(endpoint.secret).verify(got.body, got.headers)
    assert event["type"] == "shop.updated"
    assert event["id"] == got.headers["webhook-id"]
    assert event["id"] == Event.objects.get(topic="shop.updated").event_id
    assert event["data"]["shop"]["name"] == "Mei's Closet 1"
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 204 and attempt.latency_ms >= 0
    assert Delivery.objects.get().status == "delivered"


def test_a_topic_outside_the_subscription_is_not_sent(app, installation, shop, receiver):
    endpoints.subscribe(app, receiver.url, ["order.paid"])
    change_shop(shop, 2)
    assert dispatcher.run_once() == 0
    assert receiver.received == []


def test_a_topic_outside_the_granted_scopes_is_not_sent(app, shop, receiver):
    endpoints.subscribe(app, receiver.url, ["*"])
    installed(app, shop, ["orders:read"])  # no shop:read
    change_shop(shop, 3)
    dispatcher.run_once()
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["app.installed"]


def test_a_receiver_down_for_hours_gets_everything_afterwards_with_the_same_ids(
    endpoint, shop, receiver, frozen_clock
):
    receiver.mode = "down"
    for n in range(3):
        change_shop(shop, n)
    dispatcher.run_once()
    first_ids = receiver.ids()
    assert len(first_ids) == 3
    # Four hours of outage: the schedule tries at +5 s, +5 min, +30 min, +2 h.
    for step in RETRY_DELAYS[:4]:
        frozen_clock.advance(step)
        dispatcher.run_once()
    assert receiver.ids() == first_ids * 5
    assert all(d.attempts == 5 for d in Delivery.objects.all())
    receiver.mode = "ok"
    receiver.received.clear()
    frozen_clock.advance(RETRY_DELAYS[4])
    dispatcher.run_once()
    assert sorted(receiver.ids()) == sorted(first_ids)  # a retried delivery keeps its event id
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    for got in receiver.received:  # signed at the (test's) time of sending
        verify_webhook(got.body, got.headers, endpoint.secret, now=frozen_clock.now().timestamp())


def test_a_recovered_receiver_gets_the_backlog_at_once(endpoint, shop, receiver, frozen_clock):
    receiver.mode = "down"
    change_shop(shop, 1)
    dispatcher.run_once()
    frozen_clock.advance(timedelta(seconds=5))
    dispatcher.run_once()  # second failure: the next try is 5 minutes away
    receiver.mode = "ok"
    change_shop(shop, 2)  # a new event succeeds and pulls the waiting one forward
    dispatcher.run_once()
    assert len(set(receiver.ids())) == 2
    assert not Delivery.objects.exclude(status="delivered").exists()


def test_persistent_failure_disables_the_endpoint_and_tells_the_developer(
    endpoint, shop, receiver, frozen_clock
):
    receiver.mode = "down"
    change_shop(shop, 1)
    dispatcher.run_once()
    for step in RETRY_DELAYS:
        frozen_clock.advance(step)
        dispatcher.run_once()
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.received) == MAX_ATTEMPTS
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "No 2xx answer" in endpoint.disabled_reason
    [notice] = mail.outbox
    assert endpoint.url in notice.subject and notice.to == [endpoint.app.user.email]
    # Disabled: new events are no longer pushed (the feed still has them) ...
    change_shop(shop, 2)
    dispatcher.run_once()
    assert len(receiver.received) == MAX_ATTEMPTS
    # ... until the developer turns it back on and replays what failed.
    receiver.mode = "ok"
    endpoints.enable(endpoint)
    outcome = endpoints.replay(delivery)
    assert outcome.ok
    assert receiver.received[-1].headers["webhook-id"] == delivery.event.event_id
    assert Delivery.objects.get(pk=delivery.pk).status == "delivered"
    assert DeliveryAttempt.objects.filter(delivery=delivery, replay=True).count() == 1


def test_every_attempt_is_logged_with_status_latency_and_excerpt(endpoint, shop, receiver):
    receiver.mode = "down"
    change_shop(shop, 1)
    dispatcher.run_once()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 503
    assert attempt.response_excerpt == "unavailable"
    assert not attempt.succeeded


def test_private_addresses_are_refused_in_production(app, installation, shop, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    for url in ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest"]:
        with pytest.raises(endpoints.EndpointError):
            endpoints.subscribe(app, url, ["*"])
    with pytest.raises(endpoints.EndpointError):
        endpoints.subscribe(app, "ftp://example.com/x", ["*"])
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_that_turns_private_later_is_not_called(endpoint, shop, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    change_shop(shop, 1)
    dispatcher.run_once()
    assert receiver.received == []
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code is None and "non-public address" in attempt.error


def test_topics_beyond_the_apps_scopes_are_refused(developer, shop):
    from emporium.api.tests.conftest import make_app

    narrow = make_app(developer, name="Narrow")
    narrow.requested_scopes = "orders:read"
    narrow.save()
    with pytest.raises(endpoints.EndpointError) as refused:
        endpoints.subscribe(narrow, "http://127.0.0.1:9/x", ["order.paid", "item.updated"])
    assert "item.updated" in str(refused.value)
    assert endpoints.subscribe(narrow, "http://127.0.0.1:9/x", ["order.paid", "app.installed"])


def test_deliveries_leased_at_publish_are_not_claimed_again_until_their_lease_ends(
    endpoint, shop, receiver, frozen_clock
):
    for n in range(3):
        change_shop(shop, n)
    # The worker has room for two: those two are leased to it by the publish itself.
    published, leased, left = dispatcher.publish_leasing(room=2)
    assert (published, len(leased), left) == (3, 2, 1)
    assert all(d.event.shop_id == shop.pk and d.endpoint_id == endpoint.pk for d in leased)
    # Another worker's claim finds only the one left due, not the leased ones.
    [other] = dispatcher._claim(frozen_clock.now())
    assert other.pk not in {d.pk for d in leased}
    assert dispatcher._claim(frozen_clock.now()) == []
    # A worker that dies holding them: they are due again when the lease ends, sent then.
    frozen_clock.advance(dispatcher.schedule.LEASE + timedelta(seconds=1))
    assert {d.pk for d in dispatcher._claim(frozen_clock.now())} >= {d.pk for d in leased}
