"""The one money rule: cents, half-up rounding, checked amounts, and never a float."""

from decimal import Decimal

import pytest

from emporium.lib import money
from emporium.lib.money import AmountError, FloatRefused

D = Decimal


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (D("0.005"), D("0.01")),
        (D("0.015"), D("0.02")),
        (D("0.025"), D("0.03")),  # half-even would give 0.02
        (D("2.675"), D("2.68")),
        (D("-0.005"), D("-0.01")),  # away from zero, as a refund of a rounded charge needs
        (D("189.0499999999"), D("189.05")),
        (7, D("7.00")),
    ],
)
def test_it_rounds_half_up_to_the_cent(amount, cents):
    assert money.to_cents(amount) == cents
    assert money.to_cents(amount).as_tuple().exponent == -2


def test_a_split_always_adds_up_to_the_whole():
    for cents in range(1, 1000):
        whole = D(cents) / 100
        part, rest = money.split(whole, D("0.20"))
        assert part + rest == whole and part == money.to_cents(whole * D("0.20"))


@pytest.mark.parametrize(
    "call",
    [
        lambda: money.exact(0.1),
        lambda: money.to_cents(19.99),
        lambda: money.cents_or_zero(19.99),
        lambda: money.is_cents(0.5),
        lambda: money.split(10.0, D("0.2")),
        lambda: money.split(D("10.00"), 0.2),
        lambda: money.check_amount(12.5),
        lambda: money.parse_amount(12.5),
        lambda: money.format_amount(12.5),
    ],
)
def test_every_money_function_refuses_a_float_with_a_clear_error(call):
    with pytest.raises(FloatRefused, match="not float .*never a float") as refused:
        call()
    assert isinstance(refused.value, TypeError)


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (D("12"), True),
        (D("12.5"), True),
        (D("12.500"), True),
        (D("0.00000"), True),
        (D("1E+30"), True),
        (D("12.505"), False),
        (D("0.001"), False),
        (D("1E-3"), False),
        (D("NaN"), False),
        (D("-Infinity"), False),
    ],
)
def test_whole_cents_are_told_by_value_not_by_how_they_are_written(amount, cents):
    assert money.is_cents(amount) is cents


def test_a_bool_or_a_string_is_not_an_exact_amount():
    with pytest.raises(TypeError, match="not bool"):
        money.exact(True)
    with pytest.raises(TypeError, match="not str"):
        money.to_cents("1.00")  # text goes through parse_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12.50", D("12.50")), (" 12 ", D("12.00")), ("0.01", D("0.01")), (D("3.1"), D("3.10"))],
)
def test_decimal_text_is_parsed_to_two_places(text, amount):
    parsed = money.parse_amount(text)
    assert parsed == amount and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("abc", "number"),
        ("", "number"),
        ("1" * 41, "number"),
        ("12.505", "places"),
        ("NaN", "places"),
        ("Infinity", "places"),
        ("1e-3", "places"),
        ("1.0001", "places"),
        ("0.00", "range"),
        ("-5", "range"),
        ("100.01", "range"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(text, problem):
    with pytest.raises(AmountError) as refused:
        money.parse_amount(text, high=D("100.00"), field="price")
    error = refused.value
    assert (error.problem, error.code, error.field, error.status) == (
        problem,
        "bad_amount",
        "price",
        422,
    )


def test_the_range_message_names_both_bounds():
    with pytest.raises(AmountError, match=r"between 1.00 and ∞"):
        money.check_amount(D("0.50"), low=D("1.00"))
    with pytest.raises(AmountError, match=r"between 0.01 and 5.00"):
        money.check_amount(D("6"), high=D("5.00"))
    with pytest.raises(AmountError, match=r"between 1.00 and 999999999999.99"):
        money.parse_amount("1e30", low=D("1.00"))  # whole cents, but more than a balance holds


def test_amounts_are_formatted_with_two_places_and_no_exponent():
    assert money.format_amount(D("12.5")) == "12.50"
    assert money.format_amount(D("1E+3")) == "1000.00"
    assert money.format_amount(None) == "0.00"
    assert money.format_amount(0) == "0.00"
