"""The outbox (Event), apps' webhook endpoints, and each delivery with its attempts."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_event_id() -> str:
    # Prefixed like Stripe's ids so a log line says what it is; 128 random bits.
    return f"evt_{uuid.uuid4().hex}"


def new_signing_secret() -> str:
    # Standard Webhooks: "whsec_" + base64 of 24–64 random bytes.
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Event(models.Model):
    """One thing that happened in a shop, written in the transaction that made it happen.

    `position` is null until the dispatcher publishes the event; positions are handed out one
    transaction at a time under a lock, so they grow in commit order and a feed reader that
    has seen position p never later finds a smaller one (docs/events.md, "ordering").
    """

    event_id = models.CharField(max_length=40, unique=True, default=new_event_id, editable=False)
    topic = models.CharField(max_length=60, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    shop = models.ForeignKey(
        "shops.Shop", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Events about one app (app.installed, app.uninstalled, erasure) go to that app only.
    app = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    data = models.JSONField()
    occurred_at = models.DateTimeField(db_index=True)
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], name="event_unpublished", condition=models.Q(position__isnull=True)
            ),
            models.Index(fields=["shop", "position"], name="event_shop_position"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.event_id}"


class PublishCounter(models.Model):
    """A single row: the last position handed out. Locking it serialises publishing."""

    last_position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"published up to {self.last_position}"


class WebhookEndpoint(models.Model):
    """Where an app wants its events pushed, and which topics."""

    app = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    topics = models.JSONField(default=list, help_text=_("topics, or ['*'] for every allowed one"))
    secret = models.CharField(max_length=100, default=new_signing_secret)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    # The first failure since the last success: how long the endpoint has been down.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, topic: str) -> bool:
        return "*" in self.topics or topic in self.topics


class Delivery(models.Model):
    """One event owed to one endpoint, tried on the back-off schedule until it is received."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it may next be sent. A worker that takes it pushes this forward by a lease, so a
    # worker killed mid-send leaves it due again once the lease runs out.
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-id"], name="delivery_endpoint_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="delivery_once_per_endpoint")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One HTTP request of a delivery, as the developer center shows it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")
    replay = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"attempt at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
