"""Rows the Open API keeps for itself: idempotent responses, rate-limit buckets and the call log."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The stored answer to a creating POST, replayed when the same key comes again."""

    app = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Keys are the shop's (a seller's token) or the buyer's (a buyer's token): exactly one is set.
    shop = models.ForeignKey("shops.Shop", null=True, on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, route and body")
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app", "shop", "key"],
                name="idempotency_key_unique",
                condition=models.Q(shop__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["app", "buyer", "key"],
                name="idempotency_buyer_key_unique",
                condition=models.Q(buyer__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app_id}/{self.shop_id}/{self.key}"


class RateBucket(models.Model):
    """A token bucket per (app, shop) when limits live in the database (the embedded default)."""

    key = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField()
    stamp = models.FloatField(help_text="unix time of the last refill")

    def __str__(self) -> str:
        return f"{self.key}: {self.tokens:.1f}"


class ApiCall(models.Model):
    """One call of the Open API, written in batches off the request path.

    No foreign-key constraints: a log row must never block (or be blocked by) deleting an app
    or a shop, and the writer inserts thousands of rows without checking each reference.
    """

    app = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    shop = models.ForeignKey(
        "shops.Shop", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    method = models.CharField(max_length=8)
    route = models.CharField(max_length=200, help_text="the route template, e.g. /items/{item_id}")
    status = models.PositiveSmallIntegerField()
    latency_ms = models.FloatField()
    request_id = models.CharField(max_length=128)
    error_code = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["app", "at"], name="apicall_app_at"),
            models.Index(fields=["app", "status", "at"], name="apicall_app_status"),
            models.Index(fields=["at"], name="apicall_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.route} {self.status}"
