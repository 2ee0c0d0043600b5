"""Catalog fixtures: API tokens and an installed app with a live webhook receiver, shared."""

from emporium.api.tests.conftest import (  # noqa: F401 - shared fixtures
    _api_settings,
    make_token,
    seller_api,
)
from emporium.events.tests.conftest import app, endpoint, installation, receiver  # noqa: F401
