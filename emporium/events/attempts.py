"""One delivery attempt: send the event signed, then record what came back and what follows."""

from collections import defaultdict
from datetime import datetime
from typing import Any

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


def record_outcomes(
    results: list[tuple[Delivery, transport.Outcome]], replay: bool = False, durable: bool = True
) -> None:
    """Log every attempt and mark what was received, in one transaction of a few set-based
    statements whatever the batch's size (on PostgreSQL sent in one round trip).

    `durable=False` (the dispatcher's batches): on PostgreSQL the commit does not wait for
    the disk (~10 ms on a busy machine, per batch). A database crash can then forget the last
    answers recorded; those deliveries are sent again when their leases end — at least once,
    with the same event id, as after a worker's crash."""
    if not results:
        return
    now = clock.now()
    statements = [_log_attempts(results, now, replay)]
    # Received ones are marked in one UPDATE per attempt count, and every endpoint that
    # answered 2xx is "recovered" by two statements for the whole batch.
    received: dict[int, list[int]] = defaultdict(list)
    answered: set[int] = set()
    for delivery, outcome in results:
        if outcome.ok:
            received[delivery.attempts + (0 if replay else 1)].append(delivery.pk)
            answered.add(delivery.endpoint_id)
    statements += [_mark_received(pks, count, now) for count, pks in received.items()]
    # Always, not only when this copy of the endpoint saw it failing: in a batch, another
    # delivery to the same endpoint may have failed a moment ago.
    statements += _recovered(sorted(answered), now)
    if not durable and connection.vendor == "postgresql":
        statements.insert(0, ("SET LOCAL synchronous_commit = off", []))
    with transaction.atomic():
        _execute_all(statements)
        for delivery, outcome in results:
            if outcome.ok:
                delivery.endpoint.failing_since = None
        for delivery, outcome in results:
            if not outcome.ok and not replay:
                _after_failure(delivery, now)


Statement = tuple[str, list[Any]]


def _execute_all(statements: list[Statement]) -> None:
    """Run `statements` in order. PostgreSQL gets them as one query string: one round trip
    instead of one each (Django's psycopg cursors bind parameters on the client, which allows
    several statements in one execute); SQLite's driver runs one statement per call."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                ";\n".join(sql for sql, _ in statements),
                [param for _, params in statements for param in params],
            )
            return
        for sql, params in statements:
            cursor.execute(sql, params)


def _log_attempts(
    results: list[tuple[Delivery, transport.Outcome]], now: datetime, replay: bool
) -> Statement:
    """One INSERT of every attempt, built here: the ORM's bulk_create cost ~40 µs a row."""
    table = DeliveryAttempt._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    params: list[Any] = []
    for delivery, outcome in results:
        params += [delivery.pk, at, outcome.status_code, outcome.latency_ms]
        params += [outcome.excerpt, outcome.error, replay]
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(results))
    columns = "delivery_id, attempted_at, status_code, latency_ms, response_excerpt, error, replay"
    return f"INSERT INTO {table} ({columns}) VALUES {rows}", params  # noqa: S608 - no user input


def _mark_received(pks: list[int], attempts: int, now: datetime) -> Statement:
    table = Delivery._meta.db_table
    marks = ", ".join(["%s"] * len(pks))
    at = connection.ops.adapt_datetimefield_value(now)
    return (
        f"UPDATE {table} SET status = %s, attempts = %s, delivered_at = %s "  # noqa: S608
        f"WHERE id IN ({marks})",
        [Delivery.Status.DELIVERED.value, attempts, at, *pks],
    )


def _recovered(endpoint_ids: list[int], now: datetime) -> list[Statement]:
    """The receivers answered 2xx: what waits for its next back-off slot is sent now instead of
    hours later, so a receiver that was down catches up at once. Only back-off waits, which end
    beyond a lease: a delivery due within a lease of now may be in another worker's hands right
    now, and releasing it would send it twice."""
    if not endpoint_ids:
        return []
    marks = ", ".join(["%s"] * len(endpoint_ids))
    endpoints, deliveries = WebhookEndpoint._meta.db_table, Delivery._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    lease_end = connection.ops.adapt_datetimefield_value(now + schedule.LEASE)
    return [
        (
            f"UPDATE {endpoints} SET failing_since = NULL "  # noqa: S608 - no user input
            f"WHERE id IN ({marks}) AND failing_since IS NOT NULL",
            [*endpoint_ids],
        ),
        (
            f"UPDATE {deliveries} SET next_attempt_at = %s "  # noqa: S608 - no user input
            f"WHERE endpoint_id IN ({marks}) AND status = %s AND next_attempt_at > %s",
            [at, *endpoint_ids, Delivery.Status.PENDING.value, lease_end],
        ),
    ]


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
    """The receiver answered 2xx (a test message): release what waits for a back-off slot."""
    endpoint.failing_since = None
    with transaction.atomic():
        _execute_all(_recovered([endpoint.pk], clock.now()))


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
