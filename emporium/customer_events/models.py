"""A stored storefront event (no raw IP, ever) and the daily salt of the visitor id."""

import uuid

from django.db import models


def new_customer_event_id() -> str:
    # Prefixed like the outbox's evt_ ids, so a log line or a payload says what it is.
    return f"cev_{uuid.uuid4().hex}"


class CustomerEvent(models.Model):
    """One thing a visitor did on a storefront page, enriched by the collector.

    Fields every event has are columns; what one kind of event adds (page ids, referrer, UTM,
    cart line, order) is in `data`, exactly as docs/customer-events.md describes it.
    """

    class Name(models.TextChoices):
        PAGE_VIEWED = "page_viewed"
        ENGAGED_TIME = "engaged_time"
        ADDED_TO_CART = "added_to_cart"
        CHECKOUT_COMPLETED = "checkout_completed"

    event_id = models.CharField(max_length=40, unique=True, default=new_customer_event_id)
    name = models.CharField(max_length=20, choices=Name.choices)
    # Null for marketplace pages (home, search, platform categories) that belong to no shop.
    shop = models.ForeignKey(
        "shops.Shop", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    received_at = models.DateTimeField(db_index=True)
    visitor_id = models.CharField(max_length=32)
    session_id = models.CharField(max_length=40, blank=True, default="")
    page_view_id = models.CharField(max_length=40)
    page_type = models.CharField(max_length=10)
    country = models.CharField(max_length=2, blank=True, default="")
    province = models.CharField(max_length=80, blank=True, default="")
    city = models.CharField(max_length=80, blank=True, default="")
    data = models.JSONField(default=dict)
    # Set when the event went into a customer_events.collected outbox batch.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["shop", "id"],
                name="cevent_unpublished",
                condition=models.Q(published_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.event_id}"


class VisitorSalt(models.Model):
    """The random salt of one UTC day. Yesterday's is deleted, so yesterday's visitor ids can
    no longer be recomputed from an IP and a user agent, by anyone."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)
