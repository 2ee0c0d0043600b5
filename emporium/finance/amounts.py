"""Amounts people type, checked by the one money rule (`lib/money`) and refused in their language."""

from decimal import Decimal

from django.utils.translation import gettext as _

from emporium.lib import money
from emporium.lib.errors import DomainError


class FinanceError(DomainError):
    def __init__(self, message: str, code: str, field: str | None = None):
        super().__init__(message, code=code, field=field)


def check_amount(
    raw: str | Decimal | int,
    *,
    field: str = "amount",
    low: Decimal = money.CENT,
    high: Decimal | None = None,
) -> Decimal:
    """Decimal text or an exact amount within [low, high] with at most two places; never a float
    (`money.FloatRefused`)."""
    try:
        return money.parse_amount(raw, low=low, high=high, field=field)
    except money.AmountError as error:
        raise FinanceError(in_words(error), "bad_amount", field) from None


def in_words(error: money.AmountError) -> str:
    if error.problem == "range":
        return _("Enter an amount between %(low)s and %(high)s.") % {
            "low": error.low,
            "high": "∞" if error.high is None else error.high,
        }
    return _("Enter an amount with at most two decimal places.")
