"""The event feed's rules: what an app may pull, from where, for how long."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from emporium.ecosystem.models import App, Installation
from emporium.events.models import Event
from emporium.events.topics import CATALOGUE, allowed
from emporium.lib import clock
from emporium.shops.models import Shop


@dataclass(frozen=True)
class FeedPage:
    events: list[Event]
    next_cursor: str
    has_more: bool


def page_for(
    app: App,
    shop: Shop | None,
    scopes: frozenset[str],
    after: int,
    limit: int,
    topic: str | None = None,
) -> FeedPage:
    """The app's next events of the shop after position `after`, in publication order: only
    topics its scopes allow, the app's own lifecycle events, nothing older than the retention
    window nor from before the app was installed."""
    topics = [t for t in CATALOGUE if allowed(t, scopes) and topic in (None, t)]
    # A buyer's token (no shop) reads the app's own buyer-side events, never a shop's.
    owner = Q(app=app) if shop is None else Q(app__isnull=True) | Q(app=app)
    found = (
        Event.objects.filter(
            owner,
            shop=shop,
            position__gt=after,
            topic__in=topics,
            occurred_at__gte=_oldest_visible(app, shop),
        )
        .select_related("shop")
        .order_by("position")
    )
    rows = list(found[: limit + 1])
    events = rows[:limit]
    cursor = str(events[-1].position) if events else str(after)
    return FeedPage(events=events, next_cursor=cursor, has_more=len(rows) > limit)


def _oldest_visible(app: App, shop: Shop | None) -> datetime:
    since = clock.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    installed = (
        Installation.objects.filter(app=app, shop=shop)
        .values_list("installed_at", flat=True)
        .first()
    )
    return installed if installed is not None and installed > since else since
