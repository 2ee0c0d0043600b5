"""API test fixtures: apps, tokens granted by the personas, and a JSON client speaking Bearer."""

import json
import secrets
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from emporium.api import calllog, ratelimit
from emporium.fixtures import past_return_window

ALL_SCOPES = (
    "shop:read shop:write items:read items:write orders:read orders:write refunds:read "
    "refunds:write promotions:read promotions:write reviews:read reviews:write customers:read "
    "finance:read catalog:read design:read design:write pictures:read pictures:write"
)


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """Rows are written by `calllog.flush()`, limits are generous unless a test sets its own,
    and buckets live in the test database (a test opts into Redis)."""
    settings.API_CALL_LOG_THREAD = False
    settings.API_RATE_LIMITS = {
        "free": (10_000, 60),
        "standard": (10_000, 60),
        "premium": (10_000, 60),
    }
    settings.REDIS_URL = ""
    # Personas and app secrets are hashed on creation; the fast hasher keeps hundreds of tests quick.
    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    settings.PASSWORD_HASHERS = [fast, *settings.PASSWORD_HASHERS]
    calllog.discard()
    ratelimit.forget()  # ids come round again in a fresh test database
    yield
    calllog.discard()
    ratelimit.forget()


def make_app(developer, name: str = "Shop Helper", tier: str = "free"):
    return get_application_model().objects.create(
        name=name,
        user=developer,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="http://127.0.0.1/cb",
        tier=tier,
        # Registered for every platform scope: an app that registers none gets none (ecosystem/oauth).
        requested_scopes=" ".join(settings.OAUTH2_PROVIDER["SCOPES"]),
    )


@pytest.fixture
def app(developer):
    return make_app(developer)


@pytest.fixture
def make_token(app):
    """A raw access token of `user` (None: an app-level, client-credentials token)."""

    def make(user=None, scope: str = ALL_SCOPES, *, for_app=None, expires_in: int = 3600) -> str:
        raw = secrets.token_urlsafe(24)
        get_access_token_model().objects.create(
            token=raw,
            user=user,
            application=for_app or app,
            scope=scope,
            expires=timezone.now() + timedelta(seconds=expires_in),
        )
        return raw

    return make


class Api:
    """The Django test client with a bearer token and JSON bodies; paths are under /api/v1."""

    def __init__(self, token: str | None = None, **headers):
        self.client = Client()
        self.headers = dict(headers)
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def call(self, method: str, path: str, body=None, **extra):
        url = "/api/v1" + path
        kwargs = {**self.headers, **extra}
        if body is not None and "content_type" not in kwargs:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif body is not None:
            kwargs["data"] = body
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, params=None, **extra):
        return self.client.get("/api/v1" + path, params or {}, **{**self.headers, **extra})

    def post(self, path: str, body=None, **extra):
        return self.call("POST", path, body if body is not None else {}, **extra)

    def patch(self, path: str, body=None, **extra):
        return self.call("PATCH", path, body if body is not None else {}, **extra)

    def put(self, path: str, body=None, **extra):
        return self.call("PUT", path, body if body is not None else {}, **extra)

    def delete(self, path: str, **extra):
        return self.call("DELETE", path, **extra)


@pytest.fixture
def seller_api(shop, seller, make_token) -> Api:
    """Mei's shop, every scope granted."""
    return Api(make_token(seller))


@pytest.fixture
def other_api(other_shop, other_seller, make_token) -> Api:
    """Otto's shop, every scope granted to the same app."""
    return Api(make_token(other_seller))


def error_of(response, status: int, code: str) -> dict:
    """Assert the envelope and return its body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["request_id"] == response["X-Request-Id"]
    return body["error"]


@pytest.fixture
def order_in(funded_buyer, address):
    """An order of Bob's for one SKU, taken to `status` the way buyer and seller would."""
    from emporium.trade import orders

    def make(sku, status: str = "paid", quantity: int = 1):
        (order,) = orders.checkout(funded_buyer, address, [(sku, quantity)])
        if status != "pending_payment":
            orders.pay(funded_buyer, [order])
        if status in ("shipped", "settled"):
            orders.ship(order, "SF Express", "SF1234567")
        if status == "settled":
            orders.confirm_receipt(order)  # completes, then settles at once
            past_return_window(order)  # and its return window has passed: all withdrawable
        order.refresh_from_db()
        return order

    return make
