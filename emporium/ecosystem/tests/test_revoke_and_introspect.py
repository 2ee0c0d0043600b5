"""Revocation (RFC 7009) and introspection (RFC 7662): each app, about its own tokens only."""

from django.test import Client
from django.urls import reverse

from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import (
    REDIRECT_URI,
    basic_auth,
    consent,
    exchange,
    pkce_pair,
    token_request,
)


def issue(seller_client, app, secret) -> dict:
    verifier, challenge = pkce_pair()
    return exchange(Client(), app, secret, consent(seller_client, app, challenge), verifier).json()


def introspect(app, secret, token: str):
    return Client().post(
        reverse("oauth2_provider:introspect"),
        {"token": token},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    )


def revoke(app, secret, token: str, hint: str = "access_token"):
    return Client().post(
        reverse("oauth2_provider:revoke-token"),
        {"token": token, "token_type_hint": hint},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    )


def whoami(token: str) -> int:
    url = reverse("oauth2_provider:whoami")
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_introspection_describes_the_apps_own_token(seller_client, app, secret, seller, shop):
    token = issue(seller_client, app, secret)
    body = introspect(app, secret, token["access_token"]).json()
    assert body["active"] is True
    assert body["client_id"] == app.client_id
    assert body["username"] == seller.username
    assert body["shop_id"] == str(shop.public_id)
    assert set(body["scope"].split()) == {"items:read", "orders:read", "catalog:read"}
    assert body["exp"] > 0


def test_introspection_needs_the_apps_credentials(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    url = reverse("oauth2_provider:introspect")
    anonymous = Client().post(url, {"token": token["access_token"]})
    assert anonymous.status_code == 401
    with_bearer = Client().post(
        url, {"token": token["access_token"]}, HTTP_AUTHORIZATION=f"Bearer {token['access_token']}"
    )
    assert with_bearer.status_code == 401
    wrong = introspect(app, "not-the-secret", token["access_token"])
    assert wrong.status_code == 401


def test_another_apps_token_reads_as_inactive(seller_client, app, secret, other_developer):
    other, other_secret = register_app(
        other_developer, name="Snoop", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    token = issue(seller_client, app, secret)
    assert introspect(other, other_secret, token["access_token"]).json() == {"active": False}


def test_unknown_and_missing_tokens(app, secret):
    assert introspect(app, secret, "nonsense").json() == {"active": False}
    missing = Client().post(
        reverse("oauth2_provider:introspect"), HTTP_AUTHORIZATION=basic_auth(app.client_id, secret)
    )
    assert missing.status_code == 400


def test_revoking_the_access_token_ends_the_authorization(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    assert revoke(app, secret, token["access_token"]).status_code == 200
    assert whoami(token["access_token"]) == 401
    assert introspect(app, secret, token["access_token"]).json() == {"active": False}
    refresh = token_request(
        Client(),
        app.client_id,
        secret,
        grant_type="refresh_token",
        refresh_token=token["refresh_token"],
    )
    assert refresh.status_code == 400


def test_revoking_the_refresh_token_also_ends_the_access_token(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    assert revoke(app, secret, token["refresh_token"], hint="refresh_token").status_code == 200
    assert whoami(token["access_token"]) == 401


def test_an_app_cannot_revoke_another_apps_token(seller_client, app, secret, other_developer):
    other, other_secret = register_app(
        other_developer, name="Vandal", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    token = issue(seller_client, app, secret)
    assert revoke(other, other_secret, token["access_token"]).status_code == 200  # RFC 7009 §2.2
    assert whoami(token["access_token"]) == 200


def test_revocation_needs_the_apps_credentials(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    response = revoke(app, "not-the-secret", token["access_token"])
    assert response.status_code == 401
    assert whoami(token["access_token"]) == 200
