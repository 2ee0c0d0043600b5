"""Generated from the OpenAPI document: every buyer operation (/me) refuses whom it must refuse —
no token, an expired one, one lacking the scope, a shop's token — and another buyer finds and
changes nothing of Bob's; and a buyer's token opens no shop operation."""

import json
import re
import uuid

import pytest

from emporium.api.tests.conftest import ALL_SCOPES, Api
from emporium.api.tests.test_openapi_matrix import (
    DOCUMENT,
    PUBLIC,
    assert_bare_envelope,
    fill_path,
    for_buyers,
    send,
)
from emporium.ecosystem import buyer_grants

BUYER_SCOPES = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write buyer:pay"
BUYER_OPERATIONS = [
    pytest.param(method.upper(), path, operation, id=operation["operationId"])
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if for_buyers(operation)
]
SHOP_OPERATIONS = [
    pytest.param(method.upper(), path, operation, id=operation["operationId"])
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if operation["operationId"] not in PUBLIC and not for_buyers(operation)
]


def test_the_buyer_operations_are_there():
    ids = {p.id for p in BUYER_OPERATIONS}
    assert {"get_profile", "list_addresses", "place_order", "request_payment"} <= ids


def needed(operation: dict) -> set[str]:
    return {scope for requirement in operation["security"] for scope in requirement["oauth2"]}


def fake_ids(path: str) -> dict:
    return {**{name: uuid.uuid4() for name in re.findall(r"{(\w+)}", path)}, "sku_id": 1,
            "item_id": uuid.uuid4()}  # fmt: skip


@pytest.fixture
def bobs(order_in, item, app, funded_buyer, address):
    """Bob's order (awaiting payment), his grant to the app, and what of his must not change."""
    order = order_in(item.skus.first(), "pending_payment")
    buyer_grants.consent(funded_buyer, app, BUYER_SCOPES.split())
    return {"order_id": order.public_id, "item_id": item.public_id,
            "sku_id": item.skus.first().pk, "address_id": address.pk,
            "secrets": [str(order.public_id), order.number, "West Lake Road"]}  # fmt: skip


def bobs_state(buyer) -> str:
    from emporium.ecosystem.models import PaymentRequest
    from emporium.trade.models import Order

    rows = [
        list(Order.objects.filter(buyer=buyer).values("status", "total_amount")),
        list(PaymentRequest.objects.filter(buyer=buyer).values("status")),
        list(buyer.addresses.values("street")),
    ]
    return json.dumps(rows, default=str, sort_keys=True)


@pytest.mark.parametrize(("method", "path", "operation"), BUYER_OPERATIONS)
def test_refuses_without_token(method, path, operation, db):
    fake = fake_ids(path)
    response = send(Api(), method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 401, "unauthorized")


@pytest.mark.parametrize(("method", "path", "operation"), BUYER_OPERATIONS)
def test_refuses_an_expired_buyer_token(method, path, operation, buyer, make_token):
    fake = fake_ids(path)
    client = Api(make_token(buyer, BUYER_SCOPES, expires_in=-60))
    response = send(client, method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 401, "token_expired")


@pytest.mark.parametrize(("method", "path", "operation"), BUYER_OPERATIONS)
def test_refuses_a_buyer_token_lacking_the_scope(method, path, operation, buyer, make_token):
    fake = fake_ids(path)
    scopes = " ".join(s for s in BUYER_SCOPES.split() if s not in needed(operation))
    client = Api(make_token(buyer, scopes))
    response = send(client, method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 403, "insufficient_scope")


@pytest.mark.parametrize(("method", "path", "operation"), BUYER_OPERATIONS)
def test_refuses_a_shop_token(method, path, operation, seller, shop, make_token):
    fake = fake_ids(path)
    client = Api(make_token(seller, ALL_SCOPES))
    response = send(client, method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 403, "buyer_required")


@pytest.mark.parametrize(("method", "path", "operation"), BUYER_OPERATIONS)
def test_another_buyer_finds_and_changes_nothing_of_bobs(
    method, path, operation, bobs, funded_buyer, app, make_token, make_member_with_wallet
):
    carol = make_member_with_wallet("carol")
    buyer_grants.consent(carol, app, BUYER_SCOPES.split())
    before = bobs_state(funded_buyer)
    client = Api(make_token(carol, BUYER_SCOPES))
    response = send(client, method, fill_path(path, bobs), operation, bobs)
    if "{" in path:
        assert_bare_envelope(response, 404, "not_found")
    else:
        assert response.status_code in (200, 201, 409, 422), response.content
    text = response.content.decode()
    assert not [secret for secret in bobs["secrets"] if secret in text], text[:300]
    assert bobs_state(funded_buyer) == before


@pytest.mark.parametrize(("method", "path", "operation"), SHOP_OPERATIONS)
def test_a_buyer_token_opens_no_shop_operation(method, path, operation, shop, seller, make_token):
    fake = fake_ids(path)
    # The seller's own buyer token: it must not act for the shop they own.
    client = Api(make_token(seller, BUYER_SCOPES + " catalog:read"))
    response = send(client, method, fill_path(path, fake), operation, fake)
    public = "catalog:read" in json.dumps(operation["security"])
    if public or operation["operationId"] == "event_feed":
        assert response.status_code in (200, 404, 422), response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] in ("insufficient_scope", "shop_required")
