"""Reading what a seller types or a statement holds: amounts in yuan and dates.

Amounts become `Decimal` with at most two decimals; anything else is refused with a reason the
seller can act on (never rounded, never read as a float). Dates are read in the forms Chinese
banks and Alipay write them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# Digits, an optional thousands comma, at most one point: no exponent, no "inf", no "nan".
AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
CURRENCY_MARKS = ("¥", "￥", "CNY", "RMB", "元")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class BadInput(ValueError):
    """Input a seller must correct; `code` names the message in the app's words (i18n)."""

    def __init__(self, code: str, value: str = "") -> None:
        super().__init__(f"{code}: {value!r}")
        self.code, self.value = code, value


def parse_amount(text: str, *, positive: bool = True) -> Decimal:
    """`"1,299.50"` → `Decimal("1299.50")`; refuses text, exponents, three decimals, ≤ 0."""
    cleaned = (text or "").strip()
    for mark in CURRENCY_MARKS:
        cleaned = cleaned.replace(mark, "")
    cleaned = cleaned.strip()
    if not cleaned:
        raise BadInput("amount_missing", text)
    if not AMOUNT.match(cleaned):
        raise BadInput("amount_not_a_number", text)
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern lets none through
        raise BadInput("amount_not_a_number", text) from error
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadInput("amount_too_precise", text)
    if positive and amount <= 0:
        raise BadInput("amount_not_positive", text)
    return amount.quantize(Decimal("0.01"))


def parse_day(text: str) -> date:
    """A date as banks and Alipay write it, with or without a time after it."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise BadInput("date_missing", text)
    head = re.split(r"[ T]", cleaned, maxsplit=1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(head, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise BadInput("date_unreadable", text)
