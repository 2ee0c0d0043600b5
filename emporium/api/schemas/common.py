"""What every input shares: aware times, decimal text, page queries."""

from datetime import UTC
from decimal import Decimal, InvalidOperation
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

from emporium.api.errors import invalid

# Every time the API takes must carry a zone; it is kept as UTC.
AwareTime = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]

# Money and percentages travel as decimal strings, never as floats.
DecimalText = Annotated[
    str,
    Field(pattern=r"^-?\d{1,12}(\.\d{1,12})?$", max_length=26, examples=["199.00"]),
]


def to_decimal(text: str, field: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise invalid(field, f"{field}: enter a decimal number such as 12.50.") from None


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="page size, 1 to 100")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")
