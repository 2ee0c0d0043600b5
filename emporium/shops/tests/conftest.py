"""Shops fixtures: API tokens and an installed app with a live webhook receiver, shared."""

from emporium.api.tests.conftest import _api_settings, make_token  # noqa: F401 - shared fixtures
from emporium.events.tests.conftest import app, endpoint, installation, receiver  # noqa: F401
