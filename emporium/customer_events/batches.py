"""Customer events into the outbox, in batches per shop; and the pruning of old ones.

Only shops where an app holding `analytics:read` is installed get batches; the lead's
dispatcher delivers each `customer_events.collected` event to those apps (webhook and feed).
Events of other shops, and of marketplace pages that belong to no shop, are only pruned.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from emporium.customer_events import journal
from emporium.customer_events.models import CustomerEvent, VisitorSalt
from emporium.ecosystem.models import Installation
from emporium.events.outbox import record
from emporium.lib import clock
from emporium.shops.models import Shop

BATCH_SIZE = 500
SCOPE = "analytics:read"


class _Taken(Exception):
    """Another worker published some of these rows first: roll this batch back."""


def delivered(row: CustomerEvent, shop_public_id: str | None) -> dict[str, Any]:
    """One event as apps receive it (docs/customer-events.md)."""
    data = dict(row.data)
    return {
        "event_id": row.event_id,
        "name": row.name,
        "received_at": row.received_at.isoformat().replace("+00:00", "Z"),
        "shop_id": shop_public_id,
        "visitor_id": row.visitor_id,
        "session_id": row.session_id or None,
        "page_view_id": row.page_view_id,
        "page": {"type": row.page_type, **data.pop("page", {})},
        "region": {"country": row.country, "province": row.province, "city": row.city},
        **data,
    }


def shops_with_analytics() -> list[int]:
    """Shops where at least one active installation holds analytics:read."""
    active = Installation.objects.active().filter(scopes__contains=SCOPE)
    return sorted({i.shop_id for i in active.only("shop_id", "scopes") if SCOPE in i.scope_set})


def _publish_one(shop: Shop) -> bool:
    """Move up to BATCH_SIZE of the shop's unpublished events into one outbox event."""
    with transaction.atomic():
        pending = CustomerEvent.objects.filter(shop=shop, published_at__isnull=True)
        # skip_locked: on PostgreSQL a second worker takes other rows; SQLite serialises writers.
        rows = list(pending.select_for_update(skip_locked=True).order_by("id")[:BATCH_SIZE])
        if not rows:
            return False
        claimed = CustomerEvent.objects.filter(
            pk__in=[r.pk for r in rows], published_at__isnull=True
        ).update(published_at=clock.now())
        if claimed != len(rows):
            raise _Taken
        public_id = str(shop.public_id)
        record(
            "customer_events.collected",
            shop=shop,
            data={"events": [delivered(r, public_id) for r in rows]},
        )
    return True


def publish_batches(max_batches: int = 1000) -> int:
    """Write outbox batches for every shop that has pending events; returns how many.
    The collector's journal is drained into the database first (journal.py)."""
    journal.drain()
    written = 0
    for shop in Shop.objects.filter(pk__in=shops_with_analytics()):
        while written < max_batches:
            try:
                if not _publish_one(shop):
                    break
            except _Taken:
                break  # that worker is on this shop; move on
            written += 1
    return written


def prune(now=None) -> int:
    """Delete events older than CUSTOMER_EVENTS_RETENTION_DAYS, and salts before today."""
    now = now or clock.now()
    cutoff = now - timedelta(days=settings.CUSTOMER_EVENTS_RETENTION_DAYS)
    deleted = 0
    while True:  # in slices, so no single statement holds the write lock for long
        ids = list(
            CustomerEvent.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:5000]
        )
        if not ids:
            break
        deleted += CustomerEvent.objects.filter(pk__in=ids).delete()[0]
    VisitorSalt.objects.filter(day__lt=now.date()).delete()
    return deleted
