"""Events fixtures: an app installed on the shop with a webhook endpoint, and a live receiver."""

import pytest

from emporium.api.tests.conftest import (  # noqa: F401 - shared fixtures
    ALL_SCOPES,
    _api_settings,
    make_app,
    make_token,
)
from emporium.ecosystem.installations import installed
from emporium.events import dispatcher, endpoints
from emporium.events.tests.receiver import Receiver
from emporium.trade.tests.conftest import frozen_clock, place_order  # noqa: F401 - shared fixtures


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def app(developer):
    return make_app(developer, name="Order Bell")


@pytest.fixture
def installation(app, shop):
    return installed(app, shop, (ALL_SCOPES + " analytics:read").split())


@pytest.fixture
def endpoint(app, installation, receiver):
    """Subscribed after the install was published: the receiver gets only what follows."""
    dispatcher.run_once()
    return endpoints.subscribe(app, receiver.url, ["*"])
