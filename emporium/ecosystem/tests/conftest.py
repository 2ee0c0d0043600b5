"""Ecosystem fixtures: an app Dana registered, and a seller's browser session."""

import pytest
from django.test import Client
from django.utils import timezone

from emporium.api import calllog
from emporium.conftest import make_member
from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import REDIRECT_URI
from emporium.lib import clock as platform_clock


@pytest.fixture
def registered(developer):
    """Dana's app and its plain-text secret (as the developer center showed it once)."""
    return register_app(
        developer,
        name="Shop Stats",
        redirect_uris=[REDIRECT_URI],
        scopes=["items:read", "orders:read", "catalog:read"],
        webhook_url="https://app.example.com/hooks",
    )


@pytest.fixture
def app(registered):
    return registered[0]


@pytest.fixture
def secret(registered):
    return registered[1]


@pytest.fixture
def seller_client(seller, shop) -> Client:
    client = Client()
    client.force_login(seller)
    return client


@pytest.fixture
def other_developer(db):
    return make_member("devon", display_name="Devon Developer", is_developer=True)


@pytest.fixture
def clock():
    """The platform clock, frozen now; tests move it with clock.advance(...)."""
    platform_clock.set_time(timezone.now())
    yield platform_clock
    platform_clock.set_time(None)


@pytest.fixture
def call_log(settings):
    """Open API calls are logged by `calllog.flush()` only, never by a writer thread that could
    outlive the test database; buckets live in the test database."""
    settings.API_CALL_LOG_THREAD = False
    settings.REDIS_URL = ""
    calllog.discard()
    yield calllog
    calllog.discard()
