"""Shapes every resource shares: money, UTC times, decimal input, pages and the error envelope."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Generic, TypeVar

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

CENT = Decimal("0.01")
CURRENCY = "CNY"
T = TypeVar("T")

# Every time the API sends is UTC (ISO 8601 with Z); every time it takes must carry a zone.
UtcDatetime = Annotated[datetime, AfterValidator(lambda moment: moment.astimezone(UTC))]
AwareTime = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]
# Money and percentages travel as decimal strings, never as floats.
DecimalText = Annotated[
    str,
    Field(pattern=r"^-?\d{1,12}(\.\d{1,12})?$", max_length=26, examples=["199.00"]),
]


class Money(Schema):
    amount: str = Field(examples=["12.50"], description="a decimal string, two places")
    currency: str = Field(examples=[CURRENCY], description="ISO 4217")


def money(amount: Decimal | int | float | None, currency: str = CURRENCY) -> Money:
    return Money(amount=format(Decimal(amount or 0).quantize(CENT), "f"), currency=currency)


def to_decimal(text: str, field: str) -> Decimal:
    from emporium.api.errors import invalid

    try:
        return Decimal(text)
    except InvalidOperation:
        raise invalid(field, f"{field}: enter a decimal number such as 12.50.") from None


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="page size, 1 to 100")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")


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
