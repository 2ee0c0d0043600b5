"""Recording a batch of answers: a few set-based statements whatever its size (one round trip on
PostgreSQL), and every delivery, attempt and endpoint left as its own answer says."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emporium.events import attempts, dispatcher, endpoints, schedule
from emporium.events.models import Delivery, DeliveryAttempt, WebhookEndpoint
from emporium.events.transport import Outcome
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)
OK = Outcome(204, 3)
DOWN = Outcome(503, 7, excerpt="unavailable")


@pytest.fixture
def two_endpoints(endpoint, app, receiver) -> list[WebhookEndpoint]:
    return [endpoint, endpoints.subscribe(app, receiver.url + "/second", ["*"])]


def claimed(shop, frozen_clock, events: int) -> list[Delivery]:
    for n in range(events):
        update_shop(shop, name=f"Renamed {n}", description="")
    dispatcher.publish()
    return dispatcher._claim(frozen_clock.now())


def statements_to_record(results: list[tuple[Delivery, Outcome]]) -> int:
    with CaptureQueriesContext(connection) as queries:
        attempts.record_outcomes(results, durable=False)
    transaction_control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
    return len([q for q in queries if not q["sql"].startswith(transaction_control)])


def test_a_batch_costs_the_same_statements_however_many_deliveries_and_endpoints(
    two_endpoints, shop, frozen_clock
):
    small = claimed(shop, frozen_clock, 1)
    assert len(small) == 2  # one event, two endpoints
    large = claimed(shop, frozen_clock, 6)
    assert len(large) == 12
    spent = [statements_to_record([(d, OK) for d in batch]) for batch in (small, large)]
    # The attempts' INSERT, the received ones' UPDATE, and the endpoints' recovery (two
    # UPDATEs for all of them): sent as one query string on PostgreSQL.
    assert spent == ([1, 1] if connection.vendor == "postgresql" else [4, 4])
    assert DeliveryAttempt.objects.count() == 14
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
    assert set(Delivery.objects.values_list("delivered_at", flat=True)) == {frozen_clock.now()}


def test_a_mixed_batch_leaves_each_delivery_as_its_answer_says(two_endpoints, shop, frozen_clock):
    first, second = two_endpoints
    # A delivery to the first endpoint is waiting for a back-off slot, 5 minutes away.
    [waiting] = [d for d in claimed(shop, frozen_clock, 1) if d.endpoint_id == first.pk]
    Delivery.objects.filter(pk=waiting.pk).update(
        attempts=2, next_attempt_at=frozen_clock.now() + timedelta(minutes=5)
    )
    Delivery.objects.exclude(pk=waiting.pk).update(status="delivered")
    batch = claimed(shop, frozen_clock, 2)
    results = [(d, OK if d.endpoint_id == first.pk else DOWN) for d in batch]
    attempts.record_outcomes(results, durable=False)

    logged = DeliveryAttempt.objects.filter(delivery__in=batch)
    assert sorted(logged.values_list("status_code", "latency_ms", "response_excerpt")) == [
        (204, 3, ""),
        (204, 3, ""),
        (503, 7, "unavailable"),
        (503, 7, "unavailable"),
    ]
    assert set(logged.values_list("attempted_at", "replay")) == {(frozen_clock.now(), False)}
    for delivery in Delivery.objects.filter(pk__in=[d.pk for d in batch]):
        if delivery.endpoint_id == first.pk:
            assert (delivery.status, delivery.attempts) == ("delivered", 1)
        else:  # the first retry, 5 seconds on
            assert (delivery.status, delivery.attempts) == ("pending", 1)
            assert delivery.next_attempt_at == frozen_clock.now() + schedule.RETRY_DELAYS[0]
    second.refresh_from_db()
    assert second.failing_since == frozen_clock.now()
    # The first endpoint answered: its waiting delivery is due now, and a claim finds it.
    assert Delivery.objects.get(pk=waiting.pk).next_attempt_at == frozen_clock.now()
    assert [d.pk for d in dispatcher._claim(frozen_clock.now())] == [waiting.pk]
