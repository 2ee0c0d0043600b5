"""The authorization code flow with PKCE: what is refused, what is issued, and to whom."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import (
    REDIRECT_URI,
    authorize_url,
    basic_auth,
    consent,
    exchange,
    pkce_pair,
    query_of,
    token_request,
)

AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()


def test_a_seller_authorizes_and_the_app_gets_a_token_for_the_shop(
    seller_client, app, secret, shop
):
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    response = exchange(Client(), app, secret, code, verifier)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["scope"].split()) == {"items:read", "orders:read", "catalog:read"}
    assert body["refresh_token"]
    whoami = Client().get(
        reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {body['access_token']}"
    )
    assert whoami.json()["shop"] == {"id": str(shop.public_id), "name": shop.name}


def whoami(token: str):
    return Client().get(reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {token}")


def issue(seller_client, app, secret) -> dict:
    verifier, challenge = pkce_pair()
    response = exchange(Client(), app, secret, consent(seller_client, app, challenge), verifier)
    assert response.status_code == 200, response.content
    return response.json()


def error_redirect(response) -> dict[str, str]:
    """An OAuth error sent back to the app's redirect URI (RFC 6749 §4.1.2.1)."""
    assert response.status_code == 302, response.content
    assert response["Location"].startswith(REDIRECT_URI + "?")
    return query_of(response["Location"])


# --- the consent screen ----------------------------------------------------------------------


def test_the_consent_screen_lists_the_scopes_in_plain_words_and_the_shop(seller_client, app, shop):
    _, challenge = pkce_pair()
    page = seller_client.get(authorize_url(app, challenge)).content.decode()
    assert "Authorize Shop Stats?" in page
    assert shop.name.replace("'", "&#x27;") in page
    assert "See your items, their SKUs, prices and stock" in page
    assert "See your orders" in page
    assert "Create, change and delete your items" not in page


def test_an_app_may_ask_for_fewer_scopes_than_it_registered(seller_client, app, secret):
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge, scope="items:read")
    assert exchange(Client(), app, secret, code, verifier).json()["scope"] == "items:read"


def test_scopes_the_app_did_not_register_are_refused(seller_client, app):
    _, challenge = pkce_pair()
    response = seller_client.get(authorize_url(app, challenge, scope="items:read items:write"))
    assert error_redirect(response)["error"] == "invalid_scope"


def test_a_tampered_consent_form_cannot_add_scopes(seller_client, app):
    _, challenge = pkce_pair()
    page = seller_client.get(authorize_url(app, challenge))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data |= {"scope": "items:read items:write", "allow": "Authorize"}
    response = seller_client.post(reverse("oauth2_provider:authorize"), data)
    assert error_redirect(response)["error"] == "invalid_scope"
    assert not app.grant_set.exists()


def test_cancelling_tells_the_app_access_was_denied(seller_client, app):
    _, challenge = pkce_pair()
    page = seller_client.get(authorize_url(app, challenge))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = seller_client.post(reverse("oauth2_provider:authorize"), data)
    assert error_redirect(response) | {"iss": ""} == {
        "error": "access_denied",
        "state": "s-123",
        "iss": "",
    }


def test_a_visitor_is_asked_to_log_in_first(app):
    _, challenge = pkce_pair()
    response = Client().get(authorize_url(app, challenge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("members:login"))


def test_a_buyer_without_a_shop_is_told_to_open_one_and_cannot_authorize(buyer, app):
    client = Client()
    client.force_login(buyer)
    _, challenge = pkce_pair()
    page = client.get(authorize_url(app, challenge))
    assert page.status_code == 403
    assert "Open a shop first" in page.content.decode()
    forged = client.post(
        reverse("oauth2_provider:authorize"),
        {"client_id": app.client_id, "redirect_uri": REDIRECT_URI, "response_type": "code",
         "scope": "items:read", "code_challenge": challenge, "code_challenge_method": "S256",
         "allow": "Authorize"},
    )  # fmt: skip
    assert forged.status_code == 403
    assert not app.grant_set.exists()


# --- PKCE ------------------------------------------------------------------------------------


def test_an_authorization_without_a_code_challenge_is_refused(seller_client, app):
    response = seller_client.get(authorize_url(app, challenge=None))
    assert error_redirect(response)["error"] == "invalid_request"


@pytest.mark.parametrize("method", ["plain", None])
def test_the_plain_method_is_refused_named_or_implied(seller_client, app, method):
    verifier, _ = pkce_pair()
    response = seller_client.get(
        authorize_url(app, challenge=None, code_challenge=verifier, code_challenge_method=method)
    )
    assert error_redirect(response)["error"] == "invalid_request"


def test_a_wrong_code_verifier_is_refused(seller_client, app, secret):
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = consent(seller_client, app, challenge)
    response = exchange(Client(), app, secret, code, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_token_request_without_the_verifier_is_refused(seller_client, app, secret):
    _, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    response = exchange(Client(), app, secret, code, verifier=None)
    assert response.status_code == 400


# --- redirect URIs and codes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "uri",
    [
        "https://app.example.com/callback/",
        "https://app.example.com/callback?next=/evil",
        "https://app.example.com:8443/callback",
        "http://app.example.com/callback",
        "https://evil.example.com/callback",
        "https://app.example.com/Callback",
    ],
)
def test_a_redirect_uri_that_is_not_exactly_registered_is_refused_without_redirecting(
    seller_client, app, uri
):
    _, challenge = pkce_pair()
    response = seller_client.get(authorize_url(app, challenge, redirect_uri=uri))
    assert response.status_code == 400
    assert "Location" not in response
    assert "invalid_request" in response.content.decode()


def test_the_token_request_must_repeat_the_same_redirect_uri(seller_client, developer, secret, app):
    app.redirect_uris = f"{REDIRECT_URI} https://app.example.com/other"
    app.save(update_fields=["redirect_uris"])
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    response = exchange(
        Client(), app, secret, code, verifier, redirect_uri="https://app.example.com/other"
    )
    assert response.status_code == 400


def test_a_code_is_used_once(seller_client, app, secret):
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    assert exchange(Client(), app, secret, code, verifier).status_code == 200
    again = exchange(Client(), app, secret, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_code_expires_within_a_minute(seller_client, app, secret, settings):
    assert settings.OAUTH2_PROVIDER["AUTHORIZATION_CODE_EXPIRE_SECONDS"] == 60
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    grant = app.grant_set.get()
    assert grant.expires <= timezone.now() + timedelta(seconds=60)
    app.grant_set.update(expires=timezone.now() - timedelta(seconds=1))
    assert exchange(Client(), app, secret, code, verifier).status_code == 400


def test_a_code_belongs_to_the_app_it_was_issued_to(seller_client, app, other_developer):
    other, other_secret = register_app(
        other_developer, name="Copycat", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    assert exchange(Client(), other, other_secret, code, verifier).status_code == 400


def test_the_code_reaches_the_app_with_its_state_and_our_issuer(seller_client, app):
    _, challenge = pkce_pair()
    page = seller_client.get(authorize_url(app, challenge))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = seller_client.post(reverse("oauth2_provider:authorize"), data | {"allow": "1"})
    params = error_redirect(response)
    assert params["state"] == "s-123"
    assert params["iss"] == "http://testserver"  # RFC 9207, equal to the metadata's issuer
    assert params["code"]


# --- grants the server does not offer --------------------------------------------------------


def test_the_implicit_grant_does_not_exist(seller_client, app):
    _, challenge = pkce_pair()
    response = seller_client.get(authorize_url(app, challenge, response_type="token"))
    assert error_redirect(response)["error"] == "unsupported_response_type"


def test_the_password_grant_does_not_exist(app, secret, seller):
    response = token_request(
        Client(), app.client_id, secret, grant_type="password", username="mei", password="x"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


# --- one token pair per (app, shop) ----------------------------------------------------------


def test_authorizing_again_replaces_the_previous_token_pair(seller_client, app, secret, seller):
    first = issue(seller_client, app, secret)
    second = issue(seller_client, app, secret)
    assert whoami(first["access_token"]).status_code == 401
    assert whoami(second["access_token"]).status_code == 200
    stale = token_request(
        Client(),
        app.client_id,
        secret,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert stale.status_code == 400
    assert AccessToken.objects.filter(application=app, user=seller).count() == 1
    assert RefreshToken.objects.filter(application=app, user=seller, revoked=None).count() == 1


def test_other_shops_and_other_apps_keep_their_tokens(
    seller_client, app, secret, other_seller, other_shop, other_developer
):
    other_client = Client()
    other_client.force_login(other_seller)
    other_app, other_secret = register_app(
        other_developer, name="Books", redirect_uris=[REDIRECT_URI], scopes=["finance:read"]
    )
    mine = issue(seller_client, app, secret)
    otto_same_app = issue(other_client, app, secret)
    mei_other_app = issue(seller_client, other_app, other_secret)
    for token in (mine, otto_same_app, mei_other_app):
        assert whoami(token["access_token"]).status_code == 200


def test_a_refresh_rotates_the_pair_and_a_replayed_refresh_token_kills_the_family(
    seller_client, app, secret
):
    first = issue(seller_client, app, secret)
    refreshed = token_request(
        Client(),
        app.client_id,
        secret,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert whoami(first["access_token"]).status_code == 401
    assert whoami(second["access_token"]).status_code == 200
    replay = token_request(
        Client(),
        app.client_id,
        secret,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert replay.status_code == 400
    # Someone replayed a used refresh token: it may have been stolen, so the family is revoked.
    assert whoami(second["access_token"]).status_code == 401


def test_tokens_are_kept_only_as_checksums(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    stored = AccessToken.objects.get(application=app)
    assert stored.token == ""
    assert token["access_token"] not in str(list(AccessToken.objects.values()))


def test_whoami_refuses_a_missing_or_made_up_token(db):
    assert Client().get(reverse("oauth2_provider:whoami")).status_code == 401
    assert whoami("made-up").status_code == 401


def test_a_token_in_the_query_string_is_refused(seller_client, app, secret):
    token = issue(seller_client, app, secret)
    url = reverse("oauth2_provider:whoami") + f"?access_token={token['access_token']}"
    assert Client().get(url).status_code == 401


def test_a_basic_auth_header_for_one_app_cannot_exchange_anothers_code(seller_client, app, secret):
    verifier, challenge = pkce_pair()
    code = consent(seller_client, app, challenge)
    response = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
         "code_verifier": verifier},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, "not-the-secret"),
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
