"""The event feed: the webhook events, pulled by cursor, for apps that cannot receive pushes."""

from typing import Annotated

from ninja import Field, Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import ApiError, invalid
from emporium.api.schemas.common import Input
from emporium.events import feed, messages
from emporium.events.topics import CATALOGUE
from emporium.resources.events import FeedPage, TopicOut

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


def _position(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit() or len(after) > 18:
        raise invalid("after", "after: pass the next_cursor of a previous page.")
    return int(after)


@router.get("", response=FeedPage, auth=Scoped(*FEED_SCOPES, "buyer:orders:read", shop=False))
def event_feed(request: ApiRequest, query: Query[FeedQuery]) -> dict:
    """Events of your shop in publication order, the same ones webhooks push, kept 7 days.
    Poll with the last `next_cursor`; an empty page returns the cursor you sent. With a buyer's
    token: the buyer-side events of the orders your app placed."""
    if query.topic is not None and query.topic not in CATALOGUE:
        raise invalid("topic", f"topic: unknown topic {query.topic!r}.")
    caller = request.auth
    if caller.shop is None and caller.buyer is None:
        raise ApiError("shop_required")
    after = _position(query.after)
    page = feed.page_for(caller.app, caller.shop, caller.scopes, after, query.limit, query.topic)
    return {
        "data": [messages.envelope(e) for e in page.events],
        "next_cursor": page.next_cursor,
        "has_more": page.has_more,
    }


@router.get("/topics", response=list[TopicOut], auth=None)
def event_topics(request: ApiRequest) -> list[dict]:
    """The catalogue of event topics with their payload versions and the scope each needs."""
    return [t.__dict__ for t in CATALOGUE.values()]
