"""Client credentials: an app reads the public catalog as itself, and nothing more."""

from django.test import Client
from django.urls import reverse

from emporium.ecosystem.models import App
from emporium.ecosystem.tests.helpers import basic_auth, token_request


def test_a_confidential_app_gets_an_app_level_catalog_token(app, secret):
    response = token_request(Client(), app.client_id, secret, grant_type="client_credentials")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "catalog:read"
    assert "refresh_token" not in body
    whoami = Client().get(
        reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {body['access_token']}"
    )
    assert whoami.json()["shop"] is None


def test_the_credentials_may_also_travel_in_the_body(app, secret):
    response = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": secret},
    )
    assert response.status_code == 200


def test_client_credentials_are_limited_to_catalog_read(app, secret):
    for scope in ("items:read", "catalog:read orders:read", "shop:write"):
        response = token_request(
            Client(), app.client_id, secret, grant_type="client_credentials", scope=scope
        )
        assert response.status_code == 400, scope
        assert response.json()["error"] == "invalid_scope"


def test_a_wrong_secret_gets_no_token(app):
    response = token_request(Client(), app.client_id, "guess", grant_type="client_credentials")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_public_client_cannot_use_client_credentials(developer):
    public = App.objects.create(
        name="Phone app",
        user=developer,
        client_type=App.CLIENT_PUBLIC,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://phone.example.com/cb",
    )
    response = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "client_id": public.client_id},
    )
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_several_app_tokens_may_live_side_by_side(app, secret):
    # Each server process of an app may hold its own; they expire within a day.
    first = token_request(Client(), app.client_id, secret, grant_type="client_credentials").json()
    token_request(Client(), app.client_id, secret, grant_type="client_credentials")
    whoami = Client().get(
        reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {first['access_token']}"
    )
    assert whoami.status_code == 200


def test_basic_auth_with_another_apps_id_is_refused(app, secret, other_developer):
    from emporium.ecosystem.registration import register_app

    other, _ = register_app(
        other_developer,
        name="Other",
        redirect_uris=["https://o.example.com/cb"],
        scopes=["items:read"],
    )
    response = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic_auth(other.client_id, secret),
    )
    assert response.status_code == 401
