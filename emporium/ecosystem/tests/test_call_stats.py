"""The developer center's API call statistics, built from real calls through the Open API."""

import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from emporium.api import calllog

MISSING_ITEM = "/api/v1/items/8a3f9d5e-0000-4000-8000-000000000000"


pytestmark = pytest.mark.usefixtures("call_log")


def token_of(app, user, scope: str = "shop:read items:read") -> str:
    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=raw,
        user=user,
        application=app,
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    )
    return raw


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def developer_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


def calls_page(client: Client, app):
    return client.get(reverse("ecosystem:app_calls", args=[app.public_id]))


def test_the_developer_sees_calls_errors_and_the_failed_request_id(
    developer_client, app, seller, shop
):
    api = Client()
    token = token_of(app, seller)
    assert api.get("/api/v1/shop", **bearer(token)).status_code == 200
    assert api.get("/api/v1/shop", **bearer(token)).status_code == 200
    missing = api.get(MISSING_ITEM, HTTP_X_REQUEST_ID="trace-missing-item", **bearer(token))
    assert missing.status_code == 404
    assert calllog.flush() == 3

    page = calls_page(developer_client, app)
    assert page.status_code == 200
    stats = page.context["stats"]
    assert (stats.calls, stats.errors) == (3, 1)
    assert page.context["error_percent"] == 33.3
    assert [(e.route, e.calls, e.errors) for e in stats.top_endpoints] == [
        ("/shop", 2, 0),
        ("/items/{item_id}", 1, 1),
    ]
    assert [day.calls for day in stats.per_day] == [3]
    html = page.content.decode()
    assert 'data-testid="calls-total">3<' in html
    assert 'data-testid="errors-total">1<' in html
    assert 'data-testid="error-rate">33.3%<' in html
    assert "GET /items/{item_id}" in html
    assert "trace-missing-item" in html
    assert "not_found" in html
    assert stats.p50_ms is not None
    assert f"{stats.p95_ms} ms" in html


def test_calls_of_another_app_are_not_counted(developer_client, app, other_developer, seller, shop):
    from emporium.ecosystem.registration import register_app

    theirs, _ = register_app(
        other_developer, name="Other Stats", redirect_uris=["https://o.example.com/cb"],
        scopes=["items:read"],
    )  # fmt: skip
    Client().get("/api/v1/shop", **bearer(token_of(theirs, seller)))
    calllog.flush()
    assert calls_page(developer_client, app).context["stats"].calls == 0


def test_another_developer_gets_a_404(app, other_developer):
    client = Client()
    client.force_login(other_developer)
    assert calls_page(client, app).status_code == 404


def test_an_app_without_calls_shows_how_to_make_one(developer_client, app):
    page = calls_page(developer_client, app)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="no-calls"' in html
    assert "No calls yet" in html
    assert "/api/v1/shop" in html
    assert reverse("ecosystem:sandbox") in html


def test_the_app_page_and_home_link_the_statistics_and_the_api_docs(developer_client, app):
    detail = developer_client.get(reverse("ecosystem:app_detail", args=[app.public_id]))
    html = detail.content.decode()
    assert reverse("ecosystem:app_calls", args=[app.public_id]) in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/api/v1/openapi.json"' in html
    home = developer_client.get(reverse("ecosystem:home")).content.decode()
    assert 'href="/api/v1/openapi.json"' in home
