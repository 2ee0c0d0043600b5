"""The buyer API through the SDK against the live platform, as the quickstart shows it: the
sandbox buyer finds a sandbox item, orders it and has it paid inside its limit."""

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from emporium_sdk import Client, PermissionDeniedError
from emporium_sdk.models import OrderLineIn
from oauth2_provider.models import get_access_token_model

from emporium.ecosystem import buyer_grants
from emporium.ecosystem.registration import register_app
from emporium.ecosystem.sandbox import ensure_sandbox

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]
SCOPES = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write buyer:pay catalog:read"


def buyer_token(member, app, limit: str) -> str:
    buyer_grants.consent(member, app, SCOPES.split(), Decimal(limit))
    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=raw, user=member, application=app, scope=SCOPES,
        expires=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    return raw


def test_the_quickstart_buyer_steps_work_with_the_sdk(live_server, developer, registered):
    sandbox = ensure_sandbox(developer)
    app, _secret = register_app(
        developer, name="TV Mall", redirect_uris=["https://tv.example.com/cb"],
        scopes=SCOPES.split(),
    )  # fmt: skip
    with Client(live_server.url, access_token=buyer_token(sandbox.buyer, app, "5000")) as tv:
        assert tv.me.get_profile().buyer_id == buyer_grants.buyer_app_id(sandbox.buyer, app)
        item = tv.catalog.search_catalog(limit=1).first_page().data[0]
        address = tv.me.list_addresses()[0]
        line = OrderLineIn(item_id=str(item.id), sku_id=item.skus[0].id, quantity=1)
        (order,) = tv.me.place_order(lines=[line], address_id=address.id)
        paid = tv.me.request_payment(str(order.id))
        assert paid.status == "paid"
        assert tv.me.get_my_order(str(order.id)).status == "paid"
        with pytest.raises(PermissionDeniedError):
            tv.shop.get()
