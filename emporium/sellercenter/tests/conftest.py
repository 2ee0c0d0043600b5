"""Clients logged in as the fixed personas, for request-level tests of the seller center."""

import pytest
from django.test import Client


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
