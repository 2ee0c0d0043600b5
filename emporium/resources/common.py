"""Shapes every resource shares: money, UTC times, pages and the error envelope."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from ninja import Field, Schema
from pydantic import AfterValidator

from emporium.lib.money import CURRENCY, format_amount

T = TypeVar("T")

# Every time the API and webhooks send is UTC (ISO 8601 with Z).
UtcDatetime = Annotated[datetime, AfterValidator(lambda moment: moment.astimezone(UTC))]


class Money(Schema):
    amount: str = Field(examples=["12.50"], description="a decimal string, two places")
    currency: str = Field(examples=[CURRENCY], description="ISO 4217")


def money(amount: Decimal | int | None, currency: str = CURRENCY) -> Money:
    """An amount as the API sends it; a float is refused (`lib.money.FloatRefused`)."""
    return Money(amount=format_amount(amount), currency=currency)


class Page(Schema, Generic[T]):
    data: list[T]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null at the end"
    )


class ErrorBody(Schema):
    code: str = Field(examples=["not_found"], description="stable, machine-readable")
    message: str = Field(description="for people; may change and is translated")
    request_id: str = Field(description="quote it to support; also in X-Request-Id")
    field: str | None = Field(None, description="the input at fault, when there is one")


class ErrorEnvelope(Schema):
    error: ErrorBody
