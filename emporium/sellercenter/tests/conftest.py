"""Clients logged in as the fixed personas, a held clock and paid orders for the seller center."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from emporium.lib import clock
from emporium.trade import orders


@pytest.fixture
def seller_client(client: Client, shop) -> Client:
    """Mei, logged in, with her shop open."""
    client.force_login(shop.owner)
    return client


@pytest.fixture
def buyer_client(client: Client, buyer) -> Client:
    """Bob, logged in, without a shop."""
    client.force_login(buyer)
    return client


@pytest.fixture
def frozen_clock():
    """The platform clock held at 2026-06-01 09:00 UTC (17:00 in Mei's Shanghai) until moved."""
    clock.set_time(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    yield clock
    clock.set_time(None)


@pytest.fixture
def buy(funded_buyer, address):
    """Bob checks out (sku, quantity) pairs the way his cart would, and pays unless told not to."""

    def buy(*wanted, pay=True, buyer=None, where=None):
        member = buyer or funded_buyer
        placed = orders.checkout(member, where or address, list(wanted))
        if pay:
            orders.pay(member, placed)
        return placed[0] if len(placed) == 1 else placed

    return buy


@pytest.fixture
def paid_order(buy, item):
    """Bob has paid 199.00 for one red S dress of Mei's; it waits to be shipped."""
    return buy((item.skus.first(), 1))
