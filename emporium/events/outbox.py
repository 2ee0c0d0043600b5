"""Write a domain event into the outbox, inside the caller's database transaction.

    with transaction.atomic():
        order.status = PAID; order.save()
        outbox.record("order.paid", shop=order.shop, data={"order": ...})

Either both rows commit or neither does: a rollback leaves no event, and a commit leaves one the
dispatcher will deliver, even if the process dies the next instant.
"""

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from emporium.ecosystem.models import App
from emporium.events.models import Event
from emporium.events.topics import topic as lookup
from emporium.lib import clock
from emporium.shops.models import Shop


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    # Pydantic models, Decimals, UUIDs and datetimes become what the API would have sent.
    import json

    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json")
    return json.loads(json.dumps(data, cls=_Encoder))


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if hasattr(o, "model_dump"):
            return o.model_dump(mode="json")
        return super().default(o)


def record(
    name: str, *, shop: Shop | None = None, app: App | None = None, data: dict[str, Any]
) -> Event:
    """Add one event to the outbox (unknown topic names are a programming error)."""
    return Event.objects.create(**_row(name, shop, app, data))


def record_many(shop: Shop, events: list[tuple[str, dict[str, Any]]]) -> None:
    """Add a shop's events of one change in a single INSERT (a bulk edit of many items)."""
    if events:
        Event.objects.bulk_create(Event(**_row(name, shop, None, data)) for name, data in events)


def _row(name: str, shop: Shop | None, app: App | None, data: dict[str, Any]) -> dict[str, Any]:
    spec = lookup(name)
    return {
        "topic": name,
        "version": spec.version,
        "shop": shop,
        "app": app,
        "data": _plain(data),
        "occurred_at": clock.now(),
    }
