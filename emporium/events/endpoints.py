"""An app's webhook endpoints: subscribe, change, re-enable, replay, and disable on failure."""

import json
import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emporium.ecosystem.models import App
from emporium.ecosystem.oauth import allowed_scopes
from emporium.events import attempts, messages, transport
from emporium.events.models import Delivery, WebhookEndpoint
from emporium.events.topics import CATALOGUE, topics_for
from emporium.lib import clock
from emporium.lib.errors import DomainError

MAX_ENDPOINTS_PER_APP = 10
# Topics that arrive every few seconds while a shop has visitors: the delivery log hides them
# unless asked, or they bury the order and refund deliveries a developer is looking for.
BATCH_TOPICS = frozenset({"customer_events.collected"})


class EndpointError(DomainError):
    def __init__(self, message: str, field: str):
        super().__init__(message, field=field)


def subscribable_topics(app: App) -> list[str]:
    """Topics whose scope the app registered, plus the app's own lifecycle topics."""
    return topics_for(frozenset(allowed_scopes(app)))


def _check(app: App, url: str, topics: list[str]) -> tuple[str, list[str]]:
    url = url.strip()
    try:
        transport.check_destination(url)
    except transport.AddressRefused as error:
        raise EndpointError(str(error), "url") from None
    if not topics:
        raise EndpointError(_("Choose at least one topic."), "topics")
    if topics == ["*"]:
        return url, topics
    unknown = [t for t in topics if t not in CATALOGUE]
    if unknown:
        raise EndpointError(_("Unknown topic: %(t)s") % {"t": ", ".join(unknown)}, "topics")
    offered = set(subscribable_topics(app))
    missing = [t for t in topics if t not in offered]
    if missing:
        raise EndpointError(
            _("Your app's scopes do not allow: %(t)s") % {"t": ", ".join(missing)}, "topics"
        )
    return url, sorted(set(topics))


def subscribe(app: App, url: str, topics: list[str]) -> WebhookEndpoint:
    url, topics = _check(app, url, topics)
    if app.webhook_endpoints.count() >= MAX_ENDPOINTS_PER_APP:
        raise EndpointError(
            _("An app has at most %(n)s endpoints.") % {"n": MAX_ENDPOINTS_PER_APP}, "url"
        )
    return WebhookEndpoint.objects.create(app=app, url=url, topics=topics)


def change(endpoint: WebhookEndpoint, url: str, topics: list[str]) -> WebhookEndpoint:
    endpoint.url, endpoint.topics = _check(endpoint.app, url, topics)
    endpoint.save(update_fields=["url", "topics"])
    return endpoint


def enable(endpoint: WebhookEndpoint) -> None:
    """Turn a disabled endpoint back on; what is still pending is sent at once."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            enabled=True, disabled_reason="", disabled_at=None, failing_since=None
        )
        Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
            next_attempt_at=clock.now()
        )
    endpoint.refresh_from_db()


def replay(delivery: Delivery) -> transport.Outcome:
    """Send a delivery again now, at the developer's request (same event id, fresh signature)."""
    with transport.client() as http:
        outcome = attempts.send(http, delivery)
    attempts.record_outcomes([(delivery, outcome)], replay=True)
    return outcome


def test_message(endpoint: WebhookEndpoint) -> transport.Outcome:
    """A signed ping the developer sends from the developer center to check the endpoint."""
    msg_id = f"msg_test_{uuid.uuid4().hex}"
    body = json.dumps(
        {
            "id": msg_id,
            "type": "webhook.test",
            "version": 1,
            "shop_id": None,
            "occurred_at": clock.now().isoformat(),
            "data": {},
        }
    ).encode()
    headers = messages.headers(endpoint.secret, msg_id, int(clock.now().timestamp()), body)
    with transport.client() as http:
        outcome = transport.post(http, endpoint.url, body, headers)
    if outcome.ok:
        attempts.recovered(endpoint)
    return outcome


def deliveries(
    endpoint: WebhookEndpoint, *, status: str = "", topic: str = "", batches: bool = False
) -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first: of one status and topic when given; the
    analytics batches only when asked for (or when their topic is the one chosen)."""
    found = endpoint.deliveries.select_related("event").prefetch_related("attempt_log")
    if status in Delivery.Status.values:
        found = found.filter(status=status)
    if topic in CATALOGUE:
        found = found.filter(event__topic=topic)
    elif not batches:
        found = found.exclude(event__topic__in=BATCH_TOPICS)
    return found.order_by("-id")
