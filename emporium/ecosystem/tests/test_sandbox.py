"""Every developer's sandbox shop: made once, full of demo items, and authorized as its seller."""

import pytest
from django.test import Client
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.conftest import make_member
from emporium.ecosystem.models import DeveloperSandbox
from emporium.ecosystem.sandbox import SANDBOX_ITEMS, ensure_sandbox
from emporium.ecosystem.tests.helpers import authorize_url, consent, exchange, pkce_pair
from emporium.ecosystem.views import ACTING_DEVELOPER


@pytest.fixture
def developer_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


def test_the_first_visit_makes_the_sandbox_and_later_visits_reuse_it(developer_client, developer):
    assert developer_client.get(reverse("ecosystem:home")).status_code == 200
    sandbox = DeveloperSandbox.objects.get(developer=developer)
    seller = sandbox.seller
    assert seller.username == "sandbox-dana"
    assert not seller.has_usable_password()
    assert not seller.is_developer
    items = Item.objects.filter(shop=seller.shop)
    assert items.count() == SANDBOX_ITEMS
    # In the stock-room: buyers never meet sandbox items on the storefront.
    assert set(items.values_list("status", flat=True)) == {Item.Status.STOCK_ROOM}
    assert all(item.skus.exists() for item in items)
    developer_client.get(reverse("ecosystem:home"))
    developer_client.get(reverse("ecosystem:sandbox"))
    assert DeveloperSandbox.objects.count() == 1
    assert Item.objects.count() == SANDBOX_ITEMS


def test_ensure_sandbox_is_idempotent(developer):
    assert ensure_sandbox(developer).pk == ensure_sandbox(developer).pk


def test_a_taken_username_or_shop_name_gets_a_suffix(developer):
    from emporium.shops.services import open_shop

    squatter = make_member("sandbox-dana")
    open_shop(squatter, name="Sandbox · dana")
    sandbox = ensure_sandbox(developer)
    assert sandbox.seller.username == "sandbox-dana-2"
    assert sandbox.seller.shop.name == "Sandbox · dana 2"


def test_the_sandbox_page_explains_how_to_authorize(developer_client, developer):
    page = developer_client.get(reverse("ecosystem:sandbox")).content.decode()
    assert "sandbox-dana" in page
    assert "/.well-known/oauth-authorization-server" in page
    assert "Act as the sandbox seller" in page


def test_a_member_who_is_not_a_developer_has_no_sandbox_page(buyer):
    client = Client()
    client.force_login(buyer)
    assert client.get(reverse("ecosystem:sandbox")).status_code == 302
    assert client.post(reverse("ecosystem:sandbox_act_as")).status_code == 404
    assert not DeveloperSandbox.objects.exists()


def test_acting_as_the_sandbox_seller_and_coming_back(developer_client, developer):
    response = developer_client.post(reverse("ecosystem:sandbox_act_as"))
    assert response["Location"] == reverse("sellercenter:dashboard")
    seller = DeveloperSandbox.objects.get(developer=developer).seller
    assert developer_client.session["_auth_user_id"] == str(seller.pk)
    assert developer_client.session[ACTING_DEVELOPER] == developer.pk
    center = developer_client.get(reverse("ecosystem:home"))
    assert center.status_code == 403
    assert "Back to my developer account" in center.content.decode()
    developer_client.post(reverse("ecosystem:sandbox_return"))
    assert developer_client.session["_auth_user_id"] == str(developer.pk)


def test_only_the_developer_who_acted_can_come_back(developer, seller):
    sandbox = ensure_sandbox(developer)
    stranger = Client()
    stranger.force_login(seller)
    assert stranger.post(reverse("ecosystem:sandbox_return")).status_code == 404
    # A sandbox seller's session without the mark (no password exists to log in with, but still).
    direct = Client()
    direct.force_login(sandbox.seller)
    assert direct.post(reverse("ecosystem:sandbox_return")).status_code == 404


def test_act_as_only_follows_a_local_next(developer_client):
    response = developer_client.post(
        reverse("ecosystem:sandbox_act_as"), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("sellercenter:dashboard")


def test_a_developer_authorizes_their_app_for_the_sandbox_shop(
    developer_client, developer, app, secret
):
    verifier, challenge = pkce_pair()
    url = authorize_url(app, challenge)
    refused = developer_client.get(url)  # Dana has no shop of her own
    assert refused.status_code == 403
    assert "Continue as the sandbox seller" in refused.content.decode()
    hop = developer_client.post(reverse("ecosystem:sandbox_act_as"), {"next": url})
    assert hop["Location"] == url
    page = developer_client.get(url).content.decode()
    shop = DeveloperSandbox.objects.get(developer=developer).seller.shop
    assert "Sandbox · dana" in page
    code = consent(developer_client, app, challenge)
    token = exchange(Client(), app, secret, code, verifier).json()
    whoami = Client().get(
        reverse("oauth2_provider:whoami"), HTTP_AUTHORIZATION=f"Bearer {token['access_token']}"
    )
    assert whoami.json()["shop"]["id"] == str(shop.public_id)


def test_a_developer_who_is_also_a_seller_is_offered_the_sandbox_on_the_consent_screen(
    developer, app
):
    from emporium.shops.services import open_shop

    open_shop(developer, name="Dana's Dresses")
    ensure_sandbox(developer)
    client = Client()
    client.force_login(developer)
    _, challenge = pkce_pair()
    page = client.get(authorize_url(app, challenge)).content.decode()
    assert "Dana&#x27;s Dresses" in page
    assert "Authorize for your sandbox shop" in page


def test_operators_see_the_sandboxes_and_apps_in_the_admin(developer, app, admin_client):
    ensure_sandbox(developer)
    sandboxes = admin_client.get(reverse("admin:ecosystem_developersandbox_changelist"))
    assert "Sandbox of dana" in sandboxes.content.decode()
    apps = admin_client.get(reverse("admin:ecosystem_app_changelist"))
    assert "Shop Stats" in apps.content.decode()
