"""One delivery attempt: send the event signed, then record what came back and what follows."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils.translation import gettext as _

from emporium.events import messages, schedule, transport
from emporium.events.models import Delivery, DeliveryAttempt, WebhookEndpoint
from emporium.lib import clock


def send(http: transport.Client, delivery: Delivery) -> transport.Outcome:
    body = messages.body_of(delivery.event)
    timestamp = int(clock.now().timestamp())
    headers = messages.headers(delivery.endpoint.secret, delivery.event.event_id, timestamp, body)
    return transport.post(http, delivery.endpoint.url, body, headers)


@transaction.atomic
def record_outcomes(
    results: list[tuple[Delivery, transport.Outcome]], replay: bool = False, durable: bool = True
) -> None:
    """`durable=False` (the dispatcher's batches): on PostgreSQL the commit does not wait for
    the disk (~10 ms on a busy machine, per batch). A database crash can then forget the last
    answers recorded; those deliveries are sent again when their leases end — at least once,
    with the same event id, as after a worker's crash."""
    if not durable and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    now = clock.now()
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            delivery=delivery,
            attempted_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            replay=replay,
        )
        for delivery, outcome in results
    )
    # Received ones are marked in one UPDATE per attempt count, and each endpoint that answered
    # 2xx is "recovered" once per batch: a batch costs a few statements, not three per delivery.
    received: dict[int, list[int]] = defaultdict(list)
    answered: dict[int, WebhookEndpoint] = {}
    for delivery, outcome in results:
        if outcome.ok:
            received[delivery.attempts + (0 if replay else 1)].append(delivery.pk)
            answered[delivery.endpoint_id] = delivery.endpoint
    for count, pks in received.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=Delivery.Status.DELIVERED, attempts=count, delivered_at=now
        )
    # Always, not only when this copy of the endpoint saw it failing: in a batch, another
    # delivery to the same endpoint may have failed a moment ago.
    for endpoint in answered.values():
        recovered(endpoint)
    for delivery, outcome in results:
        if not outcome.ok and not replay:
            _after_failure(delivery, now)


def _after_failure(delivery: Delivery, now: datetime) -> None:
    endpoint = delivery.endpoint
    attempts = delivery.attempts + 1
    delay = schedule.next_delay(attempts)
    if delay is None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, attempts=attempts
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, next_attempt_at=now + delay
        )
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
    elif delay is None and now - endpoint.failing_since >= schedule.DISABLE_AFTER:
        disable_for_failures(endpoint, now)


def recovered(endpoint: WebhookEndpoint) -> None:
    """The receiver answered 2xx: what waits for its next back-off slot is sent now instead of
    hours later, so a receiver that was down catches up at once."""
    now = clock.now()
    endpoint.failing_since = None
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(
        failing_since=None
    )
    # Only back-off waits, which end beyond a lease: a delivery due within a lease of now may
    # be in another worker's hands right now, and releasing it would send it twice.
    Delivery.objects.filter(
        endpoint=endpoint, status=Delivery.Status.PENDING, next_attempt_at__gt=now + schedule.LEASE
    ).update(next_attempt_at=now)


def disable_for_failures(endpoint: WebhookEndpoint, now: datetime) -> None:
    """Stop pushing to an endpoint that has failed for a day; tell the developer by e-mail
    (the developer center shows the reason too). Events stay in the feed meanwhile."""
    since = endpoint.failing_since
    reason = _("No 2xx answer since %(since)s; disabled after a delivery used up its retries.") % {
        "since": since.strftime("%Y-%m-%d %H:%M UTC") if since else "?"
    }
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_reason=reason[:300], disabled_at=now
    )
    if not changed:
        return
    endpoint.enabled = False
    developer = endpoint.app.user
    if developer is not None and developer.email:
        send_mail(
            _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url},
            _(
                "Emporium stopped sending webhooks for your app “%(app)s” to %(url)s.\n\n%(reason)s"
                "\n\nFix the endpoint, then turn it back on in the developer center: %(link)s\n"
                "Nothing is lost meanwhile: pending events wait, and the event feed has them all."
            )
            % {
                "app": endpoint.app.name,
                "url": endpoint.url,
                "reason": reason,
                "link": f"{settings.SITE_URL}/developers/apps/{endpoint.app.public_id}/webhooks/{endpoint.pk}/",
            },
            None,
            [developer.email],
            fail_silently=True,
        )
