"""Trading fixtures: a controllable clock and helpers to place orders the way a buyer would."""

from datetime import UTC, datetime

import pytest

from emporium.lib import clock
from emporium.trade import orders


@pytest.fixture
def frozen_clock():
    clock.set_time(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    yield clock
    clock.set_time(None)


@pytest.fixture
def place_order(address):
    def place(buyer, *wanted, coupons=None):
        return orders.checkout(buyer, address, list(wanted), coupons=coupons)

    return place
