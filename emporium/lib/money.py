"""Money named once: the cent, the one rounding rule, amount checks, decimal text in and out.

Plain Python (no Django), so the ledger, billing, pricing and the public shapes all share it.

**Rounding: half up, to the cent, once per derived amount.** Every amount Emporium derives — a
discounted unit price, a coupon's share of a line, a commission, an app charge's revenue split,
a prorated plan price — is rounded half up (0.005 → 0.01), the rule buyers, sellers and China's
invoicing (四舍五入) expect and the one a seller can redo on a calculator. Half-even (banker's
rounding) only pays off when many already-rounded figures are summed and then rounded again;
Emporium never does that: each figure is rounded once, where it is made, and wherever a whole must
be split exactly (an order-level saving over lines, a charge into commission and developer share),
the last part is the whole minus the others, so no cent is made or lost whatever the rule. Half up
was already the rule of every calculation that rounds (pricing, billing); the ledger's half-even
`to_cents` only ever re-read database sums that are whole cents, where the two rules agree, so the
choice changes no existing figure.

**No float on a money path.** A float cannot hold most cents exactly (0.1 + 0.2 != 0.3); every
function here refuses one with `FloatRefused` (a `TypeError`: a float reaching money is a bug in
the caller, not bad input from a person). Amounts are `Decimal`, whole numbers (`int`) are exact
and accepted, and text from people goes through `parse_amount`.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from emporium.lib.errors import DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDING = ROUND_HALF_UP
CURRENCY = "CNY"
# The most a ledger balance (14 digits, two places) can hold: no single amount may pass it.
MAX_AMOUNT = Decimal("999999999999.99")
# Longer decimal text is refused unread (a Decimal of a million digits is slow to make).
MAX_TEXT = 40

Exact = Decimal | int


class FloatRefused(TypeError):
    """A float was handed to a money function."""

    def __init__(self, value: float, what: str = "amount"):
        super().__init__(
            f"{what} must be a Decimal, not float {value!r}: money is never a float, which "
            'cannot hold cents exactly (make it Decimal("...") from text, or parse_amount)'
        )


class AmountError(DomainError):
    """An amount a person gave is not money we accept; `problem` says why ("number", "places"
    or "range"), `low` and `high` the bounds it had to keep."""

    def __init__(
        self, problem: str, field: str, low: Decimal | None = None, high: Decimal | None = None
    ):
        if problem == "range":
            message = f"Enter an amount between {low} and {'∞' if high is None else high}."
        else:
            message = "Enter an amount with at most two decimal places."
        super().__init__(message, code="bad_amount", field=field)
        self.problem, self.low, self.high = problem, low, high


def exact(value: object, what: str = "amount") -> Decimal:
    """`value` as a Decimal: a Decimal as it is, an int exactly; a float (`FloatRefused`) or
    anything else (`TypeError`: text goes through `parse_amount`) refused."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        raise FloatRefused(value, what)
    raise TypeError(f"{what} must be a Decimal, not {type(value).__name__} {value!r}")


def to_cents(amount: Exact) -> Decimal:
    """Round to the cent with the one rule (half up)."""
    return exact(amount).quantize(CENT, rounding=ROUNDING)


def cents_or_zero(amount: Exact | None) -> Decimal:
    """A database sum (None when there were no rows) as exact cents."""
    return ZERO if amount is None else to_cents(amount)


def is_cents(amount: Exact) -> bool:
    """A finite amount of whole cents: 12, 12.5, 12.50 and 12.500 are; 12.505 is not."""
    value = exact(amount)
    if not value.is_finite():
        return False
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    places = -exponent
    # Trailing zeros are no precision (counted on the digits: exact for any size, unlike quantize).
    for digit in reversed(digits):
        if places <= 2 or digit != 0:
            break
        places -= 1
    return places <= 2 or not any(digits)


def split(amount: Exact, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(`rate` of `amount` rounded to the cent, the rest); the two always add up to `amount`."""
    whole = exact(amount)
    part = to_cents(whole * exact(rate, "rate"))
    return part, whole - part


def check_amount(
    amount: Exact,
    *,
    low: Decimal = CENT,
    high: Decimal | None = None,
    field: str = "amount",
) -> Decimal:
    """An amount of money within [low, high], at most two places; returned with two places.
    Without `high`, MAX_AMOUNT still bounds it (what a balance can hold)."""
    if not is_cents(amount):
        raise AmountError("places", field, low, high)
    value = exact(amount)
    top = MAX_AMOUNT if high is None else min(high, MAX_AMOUNT)
    if value > top:
        raise AmountError("range", field, low, top)
    if value < low:
        raise AmountError("range", field, low, high)
    return value.quantize(CENT)


def parse_amount(
    text: str | Exact,
    *,
    low: Decimal = CENT,
    high: Decimal | None = None,
    field: str = "amount",
) -> Decimal:
    """Decimal text a person typed ("12.50", " 12 ") or an exact amount, checked as above."""
    if isinstance(text, str):
        try:
            value = Decimal(text.strip()) if len(text) <= MAX_TEXT else None
        except InvalidOperation:
            value = None
        if value is None:
            raise AmountError("number", field, low, high)
        return check_amount(value, low=low, high=high, field=field)
    return check_amount(text, low=low, high=high, field=field)


def format_amount(amount: Exact | None) -> str:
    """Two places, never an exponent: the way amounts travel in the API ("12.50")."""
    return format(cents_or_zero(amount), "f")
