"""Generated from the OpenAPI document: every operation refuses a caller it must refuse.

For each operation × (no token, expired token, token lacking the scope, token of another shop):
401 / 401 / 403, and 404 for another shop's object — always the bare envelope, never a field of
the object, and nothing of Mei's shop changes.
"""

import io
import json
import re
import uuid

import pytest
from PIL import Image

from emporium.api.main import api
from emporium.api.tests.conftest import ALL_SCOPES, Api
from emporium.community.reviews import write_review
from emporium.promotions.activities import create_discount
from emporium.trade.refunds import request_refund

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")
# Operations anyone may call, by design: nothing else may lack a security requirement.
PUBLIC = {"event_topics"}


def for_buyers(operation: dict) -> bool:
    """The /me operations: only a buyer's token opens them (test_openapi_matrix_buyers.py)."""
    needed = {s for requirement in operation.get("security", []) for s in requirement["oauth2"]}
    return bool(needed) and all(scope.startswith("buyer:") for scope in needed)


OPERATIONS = [
    pytest.param(method.upper(), path, operation, id=operation["operationId"])
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if operation["operationId"] not in PUBLIC and not for_buyers(operation)
]


def test_only_the_listed_operations_are_public():
    public = {
        operation["operationId"]
        for methods in DOCUMENT["paths"].values()
        for operation in methods.values()
        if not operation.get("security")
    }
    assert public == PUBLIC


CASES = ["no_token", "expired", "lacking_scope", "other_shop"]
ENVELOPE_KEYS = {"code", "message", "request_id", "field"}


def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example(schema: dict, victim: dict):
    """A value the schema accepts, reaching for Mei's ids wherever an id is asked for."""
    schema = resolve(schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return example(next(s for s in schema[key] if s.get("type") != "null"), victim)
    kind = schema.get("type")
    if kind == "object":
        return {name: example(prop, victim) for name, prop in schema.get("properties", {}).items()
                if name in schema.get("required", [])}  # fmt: skip
    if kind == "array":
        return [example(schema.get("items", {}), victim)]
    if kind == "integer":
        return victim["sku_id"]
    if kind == "boolean":
        return True
    if schema.get("format") == "uuid":
        return str(victim["item_id"])
    if schema.get("format") == "date-time":
        return "2030-01-01T00:00:00Z"
    if schema.get("format") == "binary":
        return "binary"
    if "pattern" in schema:
        return "1.00"
    if "enum" in schema:
        return schema["enum"][0]
    return "x"


def fill_path(path: str, victim: dict) -> str:
    return re.sub(r"{(\w+)}", lambda match: str(victim[match.group(1)]), path).removeprefix(
        "/api/v1"
    )


def picture() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(data, format="PNG")
    data.seek(0)
    data.name = "p.png"
    return data


def send(client: Api, method: str, path: str, operation: dict, victim: dict):
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return client.client.post("/api/v1" + path, {"image": picture()}, **client.headers)
    if "application/json" in content:
        return client.call(method, path, example(content["application/json"]["schema"], victim))
    if method == "GET":
        return client.get(path)
    return client.call(method, path)


def scopes_without(operation: dict) -> str:
    needed = {scope for requirement in operation["security"] for scope in requirement["oauth2"]}
    return " ".join(s for s in ALL_SCOPES.split() if s not in needed)


@pytest.fixture
def victim(shop, item, order_in, funded_buyer):
    """Mei's objects of every kind, and what of them must never leak or change."""
    sku = item.skus.first()
    refunded = order_in(sku, "paid")
    refund = request_refund(refunded, funded_buyer, refunded.total_amount, "changed my mind")
    settled = order_in(sku, "settled")
    review = write_review(funded_buyer, settled.lines.get(), 5, "lovely")
    discount = create_discount(
        shop, name="Summer", percent_off=10, items=[item],
        starts_at=settled.created_at, ends_at=settled.created_at.replace(year=2099),
    )  # fmt: skip
    mei_picture, version, schedule = design_of_mei(shop)
    return {
        "picture_id": mei_picture.public_id,
        "version_id": version.public_id,
        "schedule_id": schedule.public_id,
        "item_id": item.public_id,
        "sku_id": sku.pk,
        "order_id": settled.public_id,
        "refund_id": refund.public_id,
        "review_id": review.public_id,
        "promotion_id": f"discount_{discount.pk}",
        "secrets": [str(v) for v in (item.public_id, item.title, settled.public_id, settled.number,
                                     refund.public_id, review.public_id, shop.public_id, shop.name)],
    }  # fmt: skip


def design_of_mei(shop):
    """A picture in Mei's space, a published design showing it, and a waiting schedule."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from emporium.design import actions
    from emporium.lib import clock
    from emporium.pictures.services import add_picture

    stored = add_picture(shop, SimpleUploadedFile("mei.png", picture().read()), folder="mei")
    actions.save_draft(
        shop, {"sections": [{"type": "banner", "settings": {"picture": stored.key}}]}
    )
    version = actions.publish(shop)
    schedule = actions.schedule(shop, clock.now() + timedelta(days=1))
    return stored, version, schedule


def mei_state(shop) -> str:
    """Everything of Mei's a foreign write could touch, as one comparable string."""
    from emporium.catalog.models import Item, Sku
    from emporium.community.models import Review
    from emporium.promotions.models import Discount
    from emporium.trade.models import Order, Refund

    rows = [
        list(
            Item.objects.filter(shop=shop).values("title", "status", "description_html", "category")
        ),
        list(Sku.objects.filter(item__shop=shop).values("price", "stock", "code", "options")),
        list(Order.objects.filter(shop=shop).values("status", "seller_memo", "carrier")),
        list(Refund.objects.filter(order__shop=shop).values("status", "seller_note")),
        list(Review.objects.filter(shop=shop).values("reply")),
        list(Discount.objects.filter(shop=shop).values("is_stopped")),
        [shop.name, shop.description, shop.items.first().images.count()],
        list(shop.pictures.values("name", "folder")),
        list(shop.design_versions.values("number")),
        list(shop.design_schedules.values("status")),
        [getattr(getattr(shop, "design", None), "draft", None)],
    ]
    return json.dumps(rows, default=str, sort_keys=True)


def assert_bare_envelope(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) <= ENVELOPE_KEYS
    assert body["error"]["code"] == code


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_refuses_without_token(method, path, operation, shop, seller):
    ids = {name: uuid.uuid4() for name in re.findall(r"{(\w+)}", path)}
    fake = {**ids, "sku_id": 1, "item_id": uuid.uuid4()}
    response = send(Api(), method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 401, "unauthorized")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_refuses_an_expired_token(method, path, operation, shop, seller, make_token):
    fake = {**{name: uuid.uuid4() for name in re.findall(r"{(\w+)}", path)}, "sku_id": 1}
    fake.setdefault("item_id", uuid.uuid4())
    client = Api(make_token(seller, ALL_SCOPES, expires_in=-60))
    assert_bare_envelope(
        send(client, method, fill_path(path, fake), operation, fake), 401, "token_expired"
    )


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_refuses_a_token_lacking_the_scope(method, path, operation, shop, seller, make_token):
    fake = {**{name: uuid.uuid4() for name in re.findall(r"{(\w+)}", path)}, "sku_id": 1}
    fake.setdefault("item_id", uuid.uuid4())
    client = Api(make_token(seller, scopes_without(operation)))
    response = send(client, method, fill_path(path, fake), operation, fake)
    assert_bare_envelope(response, 403, "insufficient_scope")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_another_shops_token_finds_and_changes_nothing(
    method, path, operation, shop, victim, other_seller, other_shop, make_token
):
    before = mei_state(shop)
    client = Api(make_token(other_seller, ALL_SCOPES))
    response = send(client, method, fill_path(path, victim), operation, victim)
    public = "catalog:read" in json.dumps(operation["security"])
    if "{" in path and not public:
        assert_bare_envelope(response, 404, "not_found")
    elif "{" in path:  # the public catalog shows every shop's items on sale, by design
        assert response.status_code == 200, response.content
    else:
        assert response.status_code in (200, 201, 204, 409, 422), response.content
    if not public:
        text = response.content.decode()
        leaked = [secret for secret in victim["secrets"] if secret in text]
        assert not leaked, f"{operation['operationId']} leaked {leaked}: {text[:300]}"
    assert mei_state(shop) == before
