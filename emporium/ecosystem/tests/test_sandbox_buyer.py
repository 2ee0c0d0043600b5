"""The sandbox buyer: the one member who finds and orders the sandbox shop's items, so a developer
tries a buyer app (and the sandbox shop's order webhooks) without real people."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from emporium.api.tests.conftest import Api, make_app
from emporium.catalog.models import Item
from emporium.conftest import make_member
from emporium.ecosystem import buyer_grants
from emporium.ecosystem.installations import installed
from emporium.ecosystem.sandbox import ensure_sandbox, ensure_sandbox_buyer
from emporium.ecosystem.views import ACTING_DEVELOPER
from emporium.events.models import Event
from emporium.finance import ledger
from emporium.trade.models import Order

SCOPES = "buyer:profile buyer:addresses buyer:orders:write buyer:pay catalog:read"


@pytest.fixture
def sandbox(developer):
    return ensure_sandbox(developer)


def token_for(member, app, limit: str = "1000") -> Api:
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    buyer_grants.consent(member, app, SCOPES.split(), Decimal(limit))
    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=raw, user=member, application=app, scope=SCOPES,
        expires=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    return Api(raw)


def test_the_sandbox_comes_with_a_funded_buyer_and_an_address(sandbox, developer):
    buyer = sandbox.buyer
    assert buyer.username.startswith("sandbox-buyer-")
    assert not buyer.has_usable_password()
    assert buyer.addresses.filter(is_default=True).exists()
    assert ledger.balance_of(ledger.wallet_code(buyer)) == Decimal("10000.00")
    assert ensure_sandbox_buyer(sandbox) == buyer


def test_the_sandbox_buyer_finds_orders_and_pays_sandbox_items_and_the_shop_app_hears(
    sandbox, developer
):
    tv = make_app(developer, name="TV Mall")
    seller_app = make_app(developer, name="Shop Stats")
    installed(seller_app, sandbox.seller.shop, ["orders:read"])
    api = token_for(sandbox.buyer, tv)
    found = api.get("/catalog/search", {"limit": 100}).json()["data"]
    assert len(found) == Item.objects.filter(shop=sandbox.seller.shop).count()
    item = found[0]
    detail = api.get(f"/catalog/items/{item['id']}").json()
    sku = next(s for s in detail["skus"] if s["stock"] > 0)
    (address,) = api.get("/me/addresses").json()
    body = {"lines": [{"item_id": item["id"], "sku_id": sku["id"], "quantity": 1}],
            "address_id": address["id"]}  # fmt: skip
    placed = api.post("/me/orders", body)
    assert placed.status_code == 201, placed.content
    order_id = placed.json()[0]["id"]
    paid = api.post(f"/me/orders/{order_id}/payment-request").json()
    assert paid["status"] == "paid"
    assert Order.objects.get(public_id=order_id).status == "paid"
    shop_topics = set(
        Event.objects.filter(shop=sandbox.seller.shop).values_list("topic", flat=True)
    )
    assert {"order.created", "order.paid"} <= shop_topics


def test_nobody_else_finds_or_orders_sandbox_items(sandbox, developer, funded_buyer, address):
    tv = make_app(developer, name="TV Mall")
    api = token_for(funded_buyer, tv)
    assert api.get("/catalog/search", {"limit": 100}).json()["data"] == []
    hidden = Item.objects.filter(shop=sandbox.seller.shop).first()
    assert api.get(f"/catalog/items/{hidden.public_id}").status_code == 404
    sku = hidden.skus.first()
    body = {"lines": [{"item_id": str(hidden.public_id), "sku_id": sku.pk, "quantity": 1}],
            "address_id": address.pk}  # fmt: skip
    refused = api.post("/me/orders", body)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_on_sale"
    # A member who merely picks a sandbox-like name gains nothing.
    pretender = make_member("sandbox-buyer-eve")
    assert api.get("/catalog/search").json()["data"] == []
    assert not Order.objects.filter(buyer=pretender).exists()


def test_the_developer_acts_as_the_sandbox_buyer_and_comes_back(sandbox, developer):
    client = Client()
    client.force_login(developer)
    page = client.get(reverse("ecosystem:sandbox"))
    assert sandbox.buyer.username in page.content.decode()
    acted = client.post(reverse("ecosystem:sandbox_act_as"), {"as": "buyer"})
    assert acted["Location"] == reverse("connected_apps")
    assert client.session[ACTING_DEVELOPER] == developer.pk
    assert client.get(reverse("connected_apps")).context["user"] == sandbox.buyer
    assert client.get(reverse("ecosystem:home")).status_code == 403
    back = client.post(reverse("ecosystem:sandbox_return"))
    assert back.status_code == 302
    assert client.get(reverse("ecosystem:home")).context["user"] == developer


def test_the_app_page_counts_buyers_never_names_them(sandbox, developer, funded_buyer):
    from emporium.ecosystem.registration import register_app

    app, _secret = register_app(
        developer, name="TV Mall", redirect_uris=["https://tv.example.com/cb"],
        scopes=SCOPES.split(),
    )  # fmt: skip
    buyer_grants.consent(funded_buyer, app, ["buyer:profile"])
    buyer_grants.consent(sandbox.buyer, app, ["buyer:profile"])
    client = Client()
    client.force_login(developer)
    page = client.get(reverse("ecosystem:app_detail", args=[app.public_id]))
    text = page.content.decode()
    assert "2 buyers have authorized this app." in text
    assert funded_buyer.username not in text


def test_sandbox_money_never_reaches_a_real_shop(sandbox, developer, shop, make_item):
    buyer = ensure_sandbox_buyer(sandbox)
    real = make_item(shop, title="A real shop's dress")
    before = ledger.balance_of(f"wallet:{buyer.pk}")
    api = token_for(buyer, make_app(developer, name="TV Mall"))
    body = {"lines": [{"item_id": str(real.public_id), "sku_id": real.skus.get().pk,
                       "quantity": 1}], "address_id": buyer.addresses.get().pk}  # fmt: skip
    refused = api.post("/me/orders", body)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "sandbox_only"
    assert not Order.objects.filter(buyer=buyer).exists()
    assert ledger.balance_of(f"wallet:{buyer.pk}") == before
