"""Money leaves the platform as a decimal string with two places, from Decimals only."""

from decimal import Decimal

import pytest

from emporium.lib.money import FloatRefused
from emporium.resources.common import money


def test_an_amount_travels_as_two_places_and_its_currency():
    assert money(Decimal("12.5")).model_dump() == {"amount": "12.50", "currency": "CNY"}
    assert money(7).amount == "7.00"
    assert money(None).amount == "0.00"


def test_half_a_cent_rounds_up_as_the_money_module_says():
    assert money(Decimal("0.125")).amount == "0.13"


def test_a_float_is_refused_with_a_clear_error():
    with pytest.raises(FloatRefused, match="float"):
        money(12.5)  # type: ignore[arg-type]
