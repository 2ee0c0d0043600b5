"""Buyers authorize apps for themselves: the consent, the device flow (RFC 8628), the kinds of
token kept apart, revocation, and the market gate on the seller's consent form."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from oauth2_provider.models import get_access_token_model, get_device_grant_model

from emporium.conftest import make_member
from emporium.ecosystem import buyer_grants
from emporium.ecosystem.models import BuyerGrant
from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import (
    REDIRECT_URI,
    authorize_url,
    basic_auth,
    exchange,
    pkce_pair,
    query_of,
)
from emporium.lib.translations import compile_catalogues

AccessToken = get_access_token_model()
DeviceGrant = get_device_grant_model()
DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
BUYER_SCOPES = "buyer:profile buyer:orders:read buyer:orders:write buyer:pay catalog:read"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tv(developer):
    """A buyer app (a TV mall) Dana registered, with its secret."""
    return register_app(
        developer, name="TV Mall", redirect_uris=[REDIRECT_URI], scopes=BUYER_SCOPES.split()
    )


@pytest.fixture
def buyer_client(buyer) -> Client:
    client = Client()
    client.force_login(buyer)
    return client


def buyer_consent(client: Client, app, challenge: str, limit: str = "0", **extra):
    page = client.get(authorize_url(app, challenge, **extra))
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    return page, client.post(
        reverse("oauth2_provider:authorize"),
        data | {"allow": "Authorize", "spending_limit": limit},
    )


def buyer_token(client: Client, app, secret: str, limit: str = "0") -> dict:
    verifier, challenge = pkce_pair()
    _page, answer = buyer_consent(client, app, challenge, limit)
    assert answer.status_code == 302, answer.content
    response = exchange(Client(), app, secret, query_of(answer["Location"])["code"], verifier)
    assert response.status_code == 200, response.content
    return response.json()


def me(token: str, path: str = "/me/profile"):
    return Client().get("/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_buyer_authorizes_an_app_and_it_knows_them_by_a_pairwise_id(
    buyer_client, buyer, tv, developer
):
    app, secret = tv
    verifier, challenge = pkce_pair()
    page, answer = buyer_consent(buyer_client, app, challenge, limit="80.00")
    text = page.content.decode()
    assert str(developer) in text  # who made it
    assert page.context["reviewed"] is False  # unlisted: the page says it is not reviewed
    assert "Place orders for you and confirm receipt" in text
    assert 'name="spending_limit"' in text
    code = query_of(answer["Location"])["code"]
    token = exchange(Client(), app, secret, code, verifier).json()

    profile = me(token["access_token"])
    assert profile.status_code == 200, profile.content
    buyer_id = profile.json()["buyer_id"]
    assert buyer_id == buyer_grants.buyer_app_id(buyer, app)
    assert buyer_id.startswith("byr_")
    grant = BuyerGrant.objects.get(member=buyer, app=app)
    assert str(grant.spending_limit) == "80.00"
    # Another app knows the same buyer by another id.
    other, other_secret = register_app(
        developer, name="Books", redirect_uris=[REDIRECT_URI], scopes=["buyer:profile"]
    )
    other_token = buyer_token(buyer_client, other, other_secret)
    assert me(other_token["access_token"]).json()["buyer_id"] != buyer_id


def test_a_buyer_needs_no_shop_and_an_unreviewed_app_says_so_in_chinese(buyer_client, tv):
    app, _secret = tv
    _verifier, challenge = pkce_pair()
    locale = Path(settings.BASE_DIR) / "locale"
    compile_catalogues(locale)
    with override_settings(LOCALE_PATHS=[locale]):  # forget any catalogue cached before the .mo
        page = buyer_client.get(authorize_url(app, challenge), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert page.context["reviewed"] is False
    text = page.content.decode()
    assert "Emporium 未审核过它" in text
    assert "替你下单并确认收货" in text
    assert "This app is not in the app market" not in text


def test_a_bad_spending_limit_is_refused_and_nothing_is_granted(buyer_client, buyer, tv):
    app, _secret = tv
    _verifier, challenge = pkce_pair()
    _page, answer = buyer_consent(buyer_client, app, challenge, limit="-5")
    assert answer.status_code == 422
    assert "daily limit" in answer.content.decode()
    assert not BuyerGrant.objects.filter(member=buyer, app=app).exists()


def test_buyer_and_shop_scopes_are_never_granted_together(buyer_client, developer):
    app, _secret = register_app(
        developer,
        name="Both",
        redirect_uris=[REDIRECT_URI],
        scopes=["buyer:profile", "items:read"],
    )
    _verifier, challenge = pkce_pair()
    page = buyer_client.get(authorize_url(app, challenge, scope="buyer:profile items:read"))
    assert page.status_code == 302
    assert query_of(page["Location"])["error"] == "invalid_scope"


def test_a_sellers_buyer_token_acts_for_them_not_their_shop_and_both_tokens_live(
    seller, shop, developer
):
    app, secret = register_app(
        developer,
        name="Two Sides",
        redirect_uris=[REDIRECT_URI],
        scopes=["buyer:profile", "shop:read"],
    )
    client = Client()
    client.force_login(seller)
    # As the shop (shop scopes) ...
    verifier, challenge = pkce_pair()
    page = client.get(authorize_url(app, challenge, scope="shop:read"))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    answer = client.post(reverse("oauth2_provider:authorize"), data | {"allow": "Authorize"})
    code = query_of(answer["Location"])["code"]
    shop_token = exchange(Client(), app, secret, code, verifier).json()["access_token"]
    # ... and as a buyer (buyer scopes).
    verifier, challenge = pkce_pair()
    _page, answer = buyer_consent(client, app, challenge, scope="buyer:profile")
    code = query_of(answer["Location"])["code"]
    buyer_tok = exchange(Client(), app, secret, code, verifier).json()["access_token"]

    assert me(shop_token, "/shop").status_code == 200  # not revoked by the buyer grant
    refused = me(buyer_tok, "/shop")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] in ("insufficient_scope", "shop_required")
    assert me(buyer_tok).status_code == 200
    wrong = me(shop_token)
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "buyer_required"


def test_revoking_kills_the_tokens_at_once_and_hides_the_id(buyer_client, buyer, tv):
    app, secret = tv
    token = buyer_token(buyer_client, app, secret)
    assert me(token["access_token"]).status_code == 200
    page = buyer_client.get(reverse("connected_apps"))
    assert "TV Mall" in page.content.decode()
    response = buyer_client.post(reverse("revoke_app", args=[app.public_id]))
    assert response.status_code == 302
    assert me(token["access_token"]).status_code == 401
    refreshed = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    )
    assert refreshed.status_code == 400
    assert buyer_grants.buyer_app_id(buyer, app) is None
    assert (
        'data-testid="connected-app"'
        not in buyer_client.get(reverse("connected_apps")).content.decode()
    )


# ---------------------------------------------------------------- the device flow


def device_start(app, secret, scope: str = BUYER_SCOPES):
    return Client().post(
        reverse("oauth2_provider:device-authorization"),
        urlencode({"client_id": app.client_id, "scope": scope}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    )


def device_poll(app, secret, device_code: str):
    return Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": DEVICE, "device_code": device_code, "client_id": app.client_id},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    )


def pretend_waited(device_code: str) -> None:
    """The device waited its interval since it last asked."""
    grant = DeviceGrant.objects.get(device_code=device_code)
    DeviceGrant.objects.filter(pk=grant.pk).update(
        last_checked=grant.last_checked - timedelta(seconds=grant.interval + 1)
    )


def test_the_metadata_names_the_device_endpoint():
    meta = Client().get("/.well-known/oauth-authorization-server").json()
    assert meta["device_authorization_endpoint"].endswith("/o/device-authorization/")
    assert DEVICE in meta["grant_types_supported"]


def test_the_device_flow_pending_slow_down_approved_and_used_once(buyer_client, buyer, tv):
    app, secret = tv
    start = device_start(app, secret)
    assert start.status_code == 200, start.content
    body = start.json()
    assert body["verification_uri"].endswith("/device/")
    assert body["verification_uri_complete"].endswith(f"/device/?user_code={body['user_code']}")
    assert len(body["user_code"]) == 8
    code = body["device_code"]

    too_soon = device_poll(app, secret, code)
    assert too_soon.status_code == 400
    assert too_soon.json()["error"] == "slow_down"
    assert DeviceGrant.objects.get(device_code=code).interval == body["interval"] + 5
    pretend_waited(code)
    assert device_poll(app, secret, code).json()["error"] == "authorization_pending"

    typed = body["user_code"][:4].lower() + "-" + body["user_code"][4:]
    entered = buyer_client.post(reverse("device"), {"user_code": typed})
    assert entered.status_code == 302
    page = buyer_client.get(entered["Location"])
    assert "TV Mall" in page.content.decode()
    assert page.context["reviewed"] is False
    done = buyer_client.post(entered["Location"], {"action": "accept", "spending_limit": "50"})
    assert done.context["outcome"] == "approved"

    pretend_waited(code)
    issued = device_poll(app, secret, code)
    assert issued.status_code == 200, issued.content
    token = issued.json()
    assert set(token["scope"].split()) == set(BUYER_SCOPES.split())
    assert me(token["access_token"]).json()["buyer_id"] == buyer_grants.buyer_app_id(buyer, app)
    assert str(BuyerGrant.objects.get(member=buyer, app=app).spending_limit) == "50.00"
    pretend_waited(code)
    again = device_poll(app, secret, code)
    assert again.json()["error"] == "expired_token"


def test_a_denied_device_gets_access_denied(buyer_client, tv):
    app, secret = tv
    body = device_start(app, secret).json()
    entered = buyer_client.post(reverse("device"), {"user_code": body["user_code"]})
    buyer_client.post(entered["Location"], {"action": "deny"})
    pretend_waited(body["device_code"])
    denied = device_poll(app, secret, body["device_code"])
    assert denied.json()["error"] == "access_denied"


def test_an_expired_code_is_refused_on_both_sides(buyer_client, tv):
    app, secret = tv
    body = device_start(app, secret).json()
    grant = DeviceGrant.objects.get(device_code=body["device_code"])
    DeviceGrant.objects.filter(pk=grant.pk).update(expires=grant.expires - timedelta(hours=1))
    page = buyer_client.post(reverse("device"), {"user_code": body["user_code"]})
    assert page.status_code == 400
    assert device_poll(app, secret, body["device_code"]).json()["error"] == "expired_token"


def test_an_unknown_device_code_is_invalid_grant(tv):
    app, secret = tv
    response = device_poll(app, secret, "not-a-code")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_wrong_codes_are_counted_and_guessing_stops(buyer_client, tv, settings):
    settings.DEVICE_CODE_GUESSES = 3
    app, secret = tv
    body = device_start(app, secret).json()
    for _ in range(3):
        assert buyer_client.post(reverse("device"), {"user_code": "BBBBBBBB"}).status_code == 400
    # Even the right code is refused now: guessing has stopped for this member.
    stopped = buyer_client.post(reverse("device"), {"user_code": body["user_code"]})
    assert stopped.status_code == 429
    assert DeviceGrant.objects.get(device_code=body["device_code"]).user_id is None


def test_another_member_cannot_approve_a_code_someone_entered(buyer_client, tv):
    app, secret = tv
    body = device_start(app, secret).json()
    entered = buyer_client.post(reverse("device"), {"user_code": body["user_code"]})
    intruder = Client()
    intruder.force_login(make_member("mallory"))
    assert intruder.get(entered["Location"]).status_code == 404
    assert intruder.post(entered["Location"], {"action": "accept"}).status_code == 404
    assert intruder.post(reverse("device"), {"user_code": body["user_code"]}).status_code == 400


def test_the_device_flow_refuses_shop_scopes(developer):
    app, secret = register_app(
        developer, name="Shop Tool", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    response = device_start(app, secret, scope="items:read")
    assert response.status_code in (400, 401)
    assert not DeviceGrant.objects.exists()


# ---------------------------------------------------------------- the market gate (issue 22, 4)


def test_posting_the_consent_form_cannot_skip_the_market(seller, shop, developer):
    from emporium.ecosystem.models import Installation
    from emporium.market.models import Listing

    app, _secret = register_app(
        developer, name="Listed", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    Listing.objects.create(app=app, status=Listing.Status.APPROVED, name="Listed")
    client = Client()
    client.force_login(seller)
    _verifier, challenge = pkce_pair()
    forged = {
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "state": "s",
        "scope": "items:read",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "allow": "Authorize",
    }
    response = client.post(reverse("oauth2_provider:authorize"), forged)
    assert response.status_code == 302
    assert "code=" not in response["Location"]
    assert reverse("market:install", args=[app.public_id]) in response["Location"]
    assert not Installation.objects.filter(app=app).exists()


def test_a_sellers_consent_says_who_made_an_unlisted_app_and_that_it_is_not_reviewed(
    seller, shop, developer
):
    app, _secret = register_app(
        developer, name="Hello", redirect_uris=[REDIRECT_URI], scopes=["items:read"]
    )
    client = Client()
    client.force_login(seller)
    _verifier, challenge = pkce_pair()
    page = client.get(authorize_url(app, challenge))
    text = page.content.decode()
    assert 'data-testid="consent-developer">Dana Developer<' in text
    assert 'data-testid="consent-unreviewed"' in text


def test_introspection_and_whoami_name_no_shop_for_a_sellers_buyer_token(seller, shop, developer):
    app, secret = register_app(
        developer, name="Two Sides", redirect_uris=[REDIRECT_URI], scopes=["buyer:profile"]
    )
    client = Client()
    client.force_login(seller)
    token = buyer_token(client, app, secret)["access_token"]
    described = (
        Client()
        .post(
            reverse("oauth2_provider:introspect"),
            {"token": token},
            HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
        )
        .json()
    )
    assert described["active"] is True
    assert "shop_id" not in described and "username" not in described
    assert described["buyer_id"] == buyer_grants.buyer_app_id(seller, app)
    who = Client().get(reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert who.json()["shop"] is None
