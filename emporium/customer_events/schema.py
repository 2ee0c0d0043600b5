"""The shape of what collect.js sends: every field typed and bounded, nothing else accepted."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    TypeAdapter,
)

Token = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9_-]{8,40}$")]
Text = Annotated[str, StringConstraints(strict=True, max_length=100)]


MAX_SEARCH = 100


def _trimmed(value: object) -> object:
    """Search words as docs/customer-events.md promises them: spaces at the ends dropped, runs
    of spaces made one, cut at 100 characters; nothing left is no search."""
    if not isinstance(value, str):
        return value  # the strict str check refuses it
    words = " ".join(value.split())[:MAX_SEARCH].rstrip()
    return words or None


# Cut at the limit rather than refused: a long search is still a search (a page's URL can carry
# any length; collect.js sends what the page config says).
SearchWords = Annotated[str | None, BeforeValidator(_trimmed)]
PAGE_TYPES = ("home", "category", "item", "search", "shop", "cart", "checkout", "other")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Strict):
    type: Literal[PAGE_TYPES]  # type: ignore[valid-type]
    path: Annotated[str, StringConstraints(strict=True, max_length=300, pattern=r"^/")]
    shop_id: UUID | None = None
    item_id: UUID | None = None
    category_id: Annotated[StrictInt, Field(ge=1)] | None = None
    shop_category_id: Annotated[StrictInt, Field(ge=1)] | None = None
    search: SearchWords = None


class Utm(_Strict):
    source: Text | None = None
    medium: Text | None = None
    campaign: Text | None = None
    term: Text | None = None
    content: Text | None = None


class _Event(_Strict):
    page_view_id: Token
    session_id: Token | None = None
    page: Page


class PageViewed(_Event):
    type: Literal["page_viewed"]
    referrer: Annotated[str, StringConstraints(strict=True, max_length=1000)] | None = None
    utm: Utm | None = None


class EngagedTime(_Event):
    type: Literal["engaged_time"]
    # Milliseconds since the previous engaged_time of the same page view; a day at most.
    engaged_ms: Annotated[StrictInt, Field(ge=1, le=86_400_000)]


class AddedToCart(_Event):
    type: Literal["added_to_cart"]
    item_id: UUID
    sku_id: Annotated[StrictInt, Field(ge=1)]
    quantity: Annotated[StrictInt, Field(ge=1, le=999)]


class CheckoutCompleted(_Event):
    type: Literal["checkout_completed"]
    order_id: UUID
    total: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{1,10}\.\d{2}$")]
    currency: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{3}$")]


IncomingEvent = Annotated[
    PageViewed | EngagedTime | AddedToCart | CheckoutCompleted, Field(discriminator="type")
]
incoming_event = TypeAdapter(IncomingEvent)
