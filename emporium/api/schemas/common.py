"""What every input shares: text without NUL, strict numbers, aware ISO 8601 times, decimal text,
page queries. The OpenAPI document is built from these, so what it says is what the server does."""

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict, field_validator

from emporium.api.errors import invalid

ISO_8601 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$"
)


def _iso_8601_text(value: Any) -> Any:
    # pydantic also reads Unix numbers (1780000000, "1780000000") as times; the API does not.
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_8601.match(value):
        raise ValueError("enter an ISO 8601 time with a zone, such as 2026-07-01T09:00:00Z")
    return value


# Every time the API takes is ISO 8601 text with a zone; it is kept as UTC.
AwareTime = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_8601_text),
    AfterValidator(lambda moment: moment.astimezone(UTC)),
]

# Counts in a body are JSON integers: not true/false, not "7", not 7.0.
StrictInt = Annotated[int, Strict()]

# Money and percentages travel as decimal strings, never as floats.
DecimalText = Annotated[
    str,
    Field(pattern=r"^-?\d{1,12}(\.\d{1,12})?$", max_length=26, examples=["199.00"]),
]
DECIMAL = re.compile(r"^-?\d{1,12}(\.\d{1,12})?$")


def _decimal_text(value: str) -> str:
    if not DECIMAL.match(value):
        raise ValueError("enter a decimal number such as 12.50")
    return value


# A price: more than zero, at most two decimal places, at most 9,999,999.99 (catalog.models).
# The document states the whole rule as a pattern; the server reads any decimal text here and
# the domain refuses the rest with its own message and field (its rule, in one place).
PRICE_PATTERN = r"^0*([1-9]\d{0,6}(\.\d{1,2})?|0\.(0[1-9]|[1-9]\d?))$"
PriceText = Annotated[
    str,
    Field(
        max_length=26,
        examples=["199.00"],
        description="more than 0, at most two decimal places, at most 9999999.99",
        json_schema_extra={"pattern": PRICE_PATTERN},
    ),
    AfterValidator(_decimal_text),
]
# An amount that may be zero (a coupon's minimum spend), otherwise as a price.
AmountText = Annotated[
    str,
    Field(
        max_length=26,
        examples=["0"],
        description="0, or more than 0 with at most two decimal places, at most 9999999.99",
        json_schema_extra={"pattern": r"^(0+(\.0{1,2})?|" + PRICE_PATTERN[1:-1] + ")$"},
    ),
    AfterValidator(_decimal_text),
]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(v) for v in value)
    return False


class Input(Schema):
    """The base of every body and query the API takes. A NUL character is refused in every text
    field (PostgreSQL cannot store it, and no shop name or memo needs one), naming the field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("text may not contain the NUL character (\\u0000)")
        return value


def to_decimal(text: str, field: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise invalid(field, f"{field}: enter a decimal number such as 12.50.") from None


class PageQuery(Input):
    limit: int = Field(50, ge=1, le=100, description="page size, 1 to 100")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")
