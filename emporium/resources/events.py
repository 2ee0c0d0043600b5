"""The event envelope every webhook carries and every feed page lists, and the topic catalogue."""

from ninja import Field, Schema


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
