"""OAuth against the live platform: PKCE authorization, exchange, refresh, automatic refresh, stores."""

import time

import pytest
from emporium_sdk import (
    AuthenticationError,
    Client,
    JsonFileTokenStore,
    MemoryTokenStore,
    OAuthApp,
    OAuthError,
    Token,
)
from emporium_sdk.oauth import pkce_pair
from sdk_contract import REDIRECT_URI, SCOPES, consent, form_fields

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_authorization_url_carries_pkce_s256_and_a_fresh_state(oauth_app):
    first, second = oauth_app.authorization_url(["items:read"]), oauth_app.authorization_url()
    assert "code_challenge_method=S256" in first.url
    assert "scope=items%3Aread" in first.url
    assert f"redirect_uri={REDIRECT_URI.replace(':', '%3A').replace('/', '%2F')}" in first.url
    assert first.state != second.state
    assert first.code_verifier != second.code_verifier
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert challenge in pkce_challenge_of(verifier)


def pkce_challenge_of(verifier: str) -> str:
    import base64
    import hashlib

    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_a_seller_authorizes_and_the_app_calls_the_api(client, token, shop):
    assert set(token.scopes) == set(SCOPES)
    assert token.refresh_token
    assert token.expires_at > time.time() + 3600
    mine = client.shop.get()
    assert (mine.id, mine.name) == (str(shop.public_id), shop.name)


def test_a_callback_with_another_state_or_issuer_is_refused(oauth_app, seller_browser):
    request = oauth_app.authorization_url(SCOPES)
    callback = consent(seller_browser, request.url)
    with pytest.raises(OAuthError) as refused:
        oauth_app.code_from_callback(callback, "some-other-state")
    assert refused.value.error == "invalid_state"
    forged = callback.replace("iss=", "iss=https%3A%2F%2Fevil.example&was=")
    with pytest.raises(OAuthError, match="invalid_issuer"):
        oauth_app.code_from_callback(forged, request.state)
    # The genuine callback still works, once.
    code = oauth_app.code_from_callback(callback, request.state)
    assert oauth_app.exchange_code(code, request.code_verifier).access_token
    with pytest.raises(OAuthError) as reused:
        oauth_app.exchange_code(code, request.code_verifier)
    assert reused.value.error == "invalid_grant"


def test_a_wrong_code_verifier_gets_no_token(oauth_app, seller_browser):
    request = oauth_app.authorization_url(SCOPES)
    code = oauth_app.code_from_callback(consent(seller_browser, request.url), request.state)
    with pytest.raises(OAuthError) as refused:
        oauth_app.exchange_code(code, pkce_pair()[0])
    assert refused.value.error == "invalid_grant"


def test_a_denied_consent_is_an_oauth_error(oauth_app, seller_browser):
    request = oauth_app.authorization_url(SCOPES)
    page = seller_browser.get(request.url)
    fields = form_fields(page.text, "authorizationForm")
    denied = seller_browser.post("/o/authorize/", data=fields)  # "Cancel": no `allow`
    with pytest.raises(OAuthError) as refused:
        oauth_app.code_from_callback(denied.headers["location"], request.state)
    assert refused.value.error == "access_denied"


def test_refresh_issues_a_new_pair_and_retires_the_old(live_server, oauth_app, token):
    fresh = oauth_app.refresh(token.refresh_token)
    assert fresh.access_token != token.access_token
    with (
        Client(live_server.url, access_token=token.access_token) as stale,
        pytest.raises(AuthenticationError) as refused,
    ):
        stale.shop.get()
    assert refused.value.code == "invalid_token"
    assert refused.value.request_id.startswith("req_")
    with Client(live_server.url, access_token=fresh.access_token) as current:
        assert current.shop.get().name


def test_the_client_refreshes_an_expired_token_before_calling(live_server, oauth_app, token):
    store = MemoryTokenStore()
    store.save("mei", token.model_copy(update={"expires_at": time.time() - 1}))
    with Client(live_server.url, oauth=oauth_app, token_store=store, token_key="mei") as client:
        assert client.shop.get().name
    renewed = store.load("mei")
    assert renewed.access_token != token.access_token
    assert not renewed.expired()


def test_the_client_refreshes_once_after_a_401_invalid_token(live_server, oauth_app, token):
    store = MemoryTokenStore()
    # The access token was revoked behind the client's back; the refresh token still works.
    oauth_app.refresh(token.refresh_token)  # rotates: both old tokens are now dead
    with pytest.raises(OAuthError):
        oauth_app.refresh(token.refresh_token)
    store.save("default", token)
    client = Client(live_server.url, oauth=oauth_app, token_store=store)
    with pytest.raises(OAuthError) as refused:  # the refresh itself is refused: no loop
        client.shop.get()
    assert refused.value.error == "invalid_grant"


def test_a_401_with_a_live_refresh_token_is_recovered(live_server, oauth_app, token):
    store = MemoryTokenStore()
    store.save("default", token.model_copy(update={"access_token": "not-a-real-token"}))
    with Client(live_server.url, oauth=oauth_app, token_store=store) as client:
        assert client.shop.get().name
    assert store.load("default").access_token not in ("not-a-real-token", token.access_token)


def test_client_credentials_read_the_public_catalog(live_server, oauth_app, make_item, shop):
    make_item(shop, title="Catalog dress")
    app_token = oauth_app.client_credentials()
    assert app_token.scopes == ["catalog:read"]
    with Client(live_server.url, access_token=app_token.access_token) as client:
        titles = [item.title for item in client.catalog.list_items()]
    assert titles == ["Catalog dress"]


def test_the_json_file_store_keeps_tokens_per_key_for_this_user_only(tmp_path):
    path = tmp_path / "tokens" / "tokens.json"
    store = JsonFileTokenStore(path)
    assert store.load("shop-a") is None
    store.save("shop-a", Token(access_token="a", refresh_token="ra", expires_at=123.0))
    store.save("shop-b", Token(access_token="b"))
    again = JsonFileTokenStore(path)
    assert again.load("shop-a") == Token(access_token="a", refresh_token="ra", expires_at=123.0)
    assert again.load("shop-b").access_token == "b"
    assert path.stat().st_mode & 0o077 == 0
    again.delete("shop-a")
    assert JsonFileTokenStore(path).load("shop-a") is None


def test_a_client_needs_a_token(live_server):
    with pytest.raises(ValueError, match="access_token"):
        Client(live_server.url)
    app = OAuthApp("id", "secret", base_url=live_server.url)
    assert app.authorization_url().url.startswith(f"{live_server.url}/o/authorize/?")


def test_the_device_flow_starts_and_polls_as_rfc_8628_says(live_server, developer, settings):
    from emporium.ecosystem.registration import register_app

    settings.REDIS_URL = ""
    app, secret = register_app(developer, name="TV", redirect_uris=[REDIRECT_URI],
                               scopes=["buyer:profile", "catalog:read"])  # fmt: skip
    device = OAuthApp(app.client_id, secret, base_url=live_server.url)
    code = device.start_device_authorization(["buyer:profile"])
    assert len(code.user_code) == 8 and code.interval >= 1
    assert code.verification_uri_complete.endswith(code.user_code)
    assert code.expires_at > time.time() + 500
    with pytest.raises(OAuthError) as first:
        device.poll_device_token(code.device_code)
    with pytest.raises(OAuthError) as again:  # sooner than the interval
        device.poll_device_token(code.device_code)
    assert {first.value.error, again.value.error} <= {"authorization_pending", "slow_down"}
    assert again.value.error == "slow_down"
    with pytest.raises(OAuthError) as unknown:
        device.poll_device_token("not-a-device-code")
    assert unknown.value.error == "invalid_grant"
    with pytest.raises(OAuthError) as shop_scope:
        device.start_device_authorization(["shop:read"])
    assert shop_scope.value.error == "invalid_scope"


def test_introspection_describes_the_apps_own_token_and_refuses_a_wrong_secret(
    live_server, oauth_app, token, shop
):
    described = oauth_app.introspect(token.access_token)
    assert described["active"] is True and described["shop_id"] == str(shop.public_id)
    assert set(described["scope"].split()) == set(SCOPES)
    assert oauth_app.introspect("not-a-token")["active"] is False
    stranger = OAuthApp(oauth_app.client_id, "wrong", base_url=oauth_app.base_url)
    with pytest.raises(OAuthError):
        stranger.introspect(token.access_token)
