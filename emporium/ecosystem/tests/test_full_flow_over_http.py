"""The whole OAuth flow as a real client does it: authlib over HTTP, the seller in a real browser.

authlib's OAuth2Session (requests) configures itself from the RFC 8414 metadata document, starts
an authorization with PKCE S256, and after the seller consents in Chromium exchanges the code,
calls /o/whoami/ and the Open API's GET /api/v1/shop, refreshes, introspects and revokes — and
the revoked token no longer works, neither at /o/whoami/ nor at the API.
"""

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.ecosystem.registration import register_app

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("call_log")]

CALLBACK = "https://stats.example.com/oauth/callback"


def test_a_standard_client_authorizes_calls_refreshes_and_revokes(
    live_server, page, developer, seller, shop
):
    app, secret = register_app(
        developer,
        name="Shop Stats",
        redirect_uris=[CALLBACK],
        scopes=["shop:read", "items:read", "orders:read"],
    )
    meta = requests.get(
        f"{live_server.url}/.well-known/oauth-authorization-server", timeout=10
    ).json()
    assert meta["issuer"] == live_server.url
    client = OAuth2Session(
        app.client_id,
        secret,
        scope="shop:read items:read orders:read",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    verifier = generate_token(48)
    url, state = client.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier
    )
    assert "code_challenge_method=S256" in url

    # The app's callback is not served here: the browser's request to it is answered in place.
    page.route(f"{CALLBACK}**", lambda route: route.fulfill(status=200, body="stats app"))
    page.goto(url)  # not logged in: the log-in page, then back to the consent screen
    page.get_by_label("Username").fill(seller.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/o/authorize/**")
    assert page.get_by_test_id("consent-shop").inner_text() == shop.name
    scopes = page.get_by_test_id("consent-scopes").inner_text()
    assert "See your items, their SKUs, prices and stock" in scopes
    assert "See your orders" in scopes
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{CALLBACK}**")
    callback = page.url

    token = client.fetch_token(
        meta["token_endpoint"], authorization_response=callback, state=state, code_verifier=verifier
    )
    assert set(token["scope"].split()) == {"shop:read", "items:read", "orders:read"}
    assert token["token_type"] == "Bearer"
    assert token["refresh_token"]

    whoami_url = live_server.url + reverse("oauth2_provider:whoami")
    me = client.get(whoami_url, timeout=10)
    assert me.status_code == 200
    assert me.json()["shop"] == {"id": str(shop.public_id), "name": shop.name}
    assert me.json()["client_id"] == app.client_id

    shop_url = f"{live_server.url}/api/v1/shop"
    mine = client.get(shop_url, timeout=10)
    assert mine.status_code == 200
    assert (mine.json()["id"], mine.json()["name"]) == (str(shop.public_id), shop.name)

    introspected = client.introspect_token(
        meta["introspection_endpoint"], token=token["access_token"]
    ).json()
    assert introspected["active"] is True
    assert introspected["shop_id"] == str(shop.public_id)

    first_access = token["access_token"]
    refreshed = client.refresh_token(meta["token_endpoint"])
    assert refreshed["access_token"] != first_access
    assert client.get(whoami_url, timeout=10).status_code == 200
    stale = requests.get(
        whoami_url, headers={"Authorization": f"Bearer {first_access}"}, timeout=10
    )
    assert stale.status_code == 401

    revoked = client.revoke_token(
        meta["revocation_endpoint"], token=refreshed["access_token"], token_type_hint="access_token"
    )
    assert revoked.status_code == 200
    after = client.get(whoami_url, timeout=10)
    assert after.status_code == 401
    assert "invalid_token" in after.headers["WWW-Authenticate"]
    refused = client.get(shop_url, timeout=10)
    assert refused.status_code == 401
    assert set(refused.json()) == {"error"}
    error = refused.json()["error"]
    assert error["code"] == "invalid_token"
    assert error["request_id"] == refused.headers["X-Request-Id"]
    assert client.introspect_token(
        meta["introspection_endpoint"], token=refreshed["access_token"]
    ).json() == {"active": False}
    refresh_again = requests.post(
        meta["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]},
        auth=(app.client_id, secret),
        timeout=10,
    )
    assert refresh_again.status_code == 400
