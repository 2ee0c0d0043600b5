"""schemathesis over the OpenAPI document (bounded): no 500, no response outside the schema.

Every operation is called with generated input by a seller holding every scope, in process
through the WSGI app. Examples and time are capped so the suite stays quick; CI may raise
API_FUZZ_EXAMPLES for a deeper run.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emporium.api.tests.conftest import ALL_SCOPES

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client: a request must not close the connection holding the test's
    transaction (the WSGI handler does so at the end of every request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(seller, shop, item, make_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(seller, ALL_SCOPES)}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_requests_never_break_the_api(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
