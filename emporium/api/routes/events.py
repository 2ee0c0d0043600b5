"""The event feed: the webhook events, pulled by cursor, for apps that cannot receive pushes."""

from datetime import timedelta
from typing import Annotated

from django.conf import settings
from django.db.models import Q
from ninja import Field, Query, Router, Schema

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import invalid
from emporium.api.schemas.common import Input
from emporium.ecosystem.models import Installation
from emporium.events import messages
from emporium.events.models import Event
from emporium.events.topics import CATALOGUE, allowed
from emporium.lib import clock

router = Router(tags=["events"])
FEED_SCOPES = ("orders:read", "refunds:read", "items:read", "shop:read", "analytics:read")


# Unknown topics are refused by the handler, naming the field; the document lists them all.
TopicName = Annotated[str, Field(max_length=60, json_schema_extra={"enum": sorted(CATALOGUE)})]


class FeedQuery(Input):
    after: str | None = Field(
        None, description="the `next_cursor` of the previous page; omit to start 7 days back"
    )
    limit: int = Field(100, ge=1, le=500)
    topic: TopicName | None = Field(None, description="only this topic, e.g. order.paid")


class EventOut(Schema):
    id: str = Field(examples=["evt_0f8e8f5b7c6d4e1a9b2c3d4e5f607182"])
    type: str = Field(examples=["order.paid"])
    version: int
    shop_id: str | None
    occurred_at: str = Field(description="UTC, ISO 8601")
    data: dict


class FeedPage(Schema):
    data: list[EventOut]
    next_cursor: str = Field(description="store it; pass it as `after` to resume")
    has_more: bool


class TopicOut(Schema):
    name: str
    version: int
    scope: str | None = Field(description="the scope needed to receive it; null: your own app")
    description: str
    data: str


def _position(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit() or len(after) > 18:
        raise invalid("after", "after: pass the next_cursor of a previous page.")
    return int(after)


@router.get("", response=FeedPage, auth=Scoped(*FEED_SCOPES))
def event_feed(request: ApiRequest, query: Query[FeedQuery]) -> dict:
    """Events of your shop in publication order, the same ones webhooks push, kept 7 days.
    Poll with the last `next_cursor`; an empty page returns the cursor you sent."""
    caller = request.auth
    after = _position(query.after)
    if query.topic is not None and query.topic not in CATALOGUE:
        raise invalid("topic", f"topic: unknown topic {query.topic!r}.")
    topics = [t for t in CATALOGUE if allowed(t, caller.scopes)]
    if query.topic is not None:
        topics = [t for t in topics if t == query.topic]
    since = clock.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    installed = (
        Installation.objects.filter(app=caller.app, shop=caller.shop)
        .values_list("installed_at", flat=True)
        .first()
    )
    if installed is not None and installed > since:
        since = installed
    found = (
        Event.objects.filter(
            Q(app__isnull=True) | Q(app=caller.app),
            shop=caller.shop,
            position__gt=after,
            topic__in=topics,
            occurred_at__gte=since,
        )
        .select_related("shop")
        .order_by("position")
    )
    rows = list(found[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = str(rows[-1].position) if rows else str(after)
    return {
        "data": [messages.envelope(e) for e in rows],
        "next_cursor": cursor,
        "has_more": more,
    }


@router.get("/topics", response=list[TopicOut], auth=None)
def event_topics(request: ApiRequest) -> list[dict]:
    """The catalogue of event topics with their payload versions and the scope each needs."""
    return [t.__dict__ for t in CATALOGUE.values()]
