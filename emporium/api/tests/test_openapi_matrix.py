"""Generated from the OpenAPI document: every operation refuses a caller it must refuse.

For each operation × (no token, expired token, token lacking the scope, token of another shop,
another app's token): 401 / 401 / 403, and 404 for Mei's objects — always the bare envelope,
never a field of the object, and nothing of Mei's shop changes (emporium.fixtures.shop_state:
every table that holds a shop's state, the apps installed on it and their billing included).
Another app that Mei installed acts within its own scopes and its own business with the shop
(docs/security.md, "Another app's token"): the last test here.
"""

import io
import json
import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from PIL import Image

from emporium.api.main import api
from emporium.api.tests.conftest import ALL_SCOPES, Api, make_app
from emporium.community.reviews import write_review
from emporium.ecosystem import installations
from emporium.ecosystem.models import App
from emporium.events import dispatcher
from emporium.events.models import Event, WebhookEndpoint
from emporium.fixtures import make_member, shop_state
from emporium.market import installs, listings
from emporium.market.listings import PlanSpec
from emporium.market.models import Listing, Plan, UsageCharge
from emporium.promotions import activities
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
def victim(shop, item, app, order_in, funded_buyer):
    """Mei's objects of every kind, and what of them must never leak or change: an item, orders,
    a refund, a review, one promotion of each kind and a claimed coupon, pictures and a design,
    and two apps on usage plans (ours, with a webhook endpoint, and Gina's)."""
    sku = item.skus.first()
    refunded = order_in(sku, "paid")
    refund = request_refund(refunded, funded_buyer, refunded.total_amount, "changed my mind")
    settled = order_in(sku, "settled")
    review = write_review(funded_buyer, settled.lines.get(), 5, "lovely")
    discount = promotions_of_mei(shop, item, funded_buyer, settled.created_at)
    mei_picture, version, schedule = design_of_mei(shop)
    on_usage_plan(app, shop)
    WebhookEndpoint.objects.create(app=app, url="https://hooks.example.com/ours", topics=["*"])
    on_usage_plan(gina_app(), shop)
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
        "people": [funded_buyer, app.user],
        "secrets": [str(v) for v in (item.public_id, item.title, settled.public_id, settled.number,
                                     refund.public_id, review.public_id, shop.public_id, shop.name)],
    }  # fmt: skip


def promotions_of_mei(shop, item, buyer, starts_at):
    """A discount, a threshold, a flash sale and a coupon batch of which Bob claimed one."""
    ends_at = starts_at.replace(year=2099)
    period = {"starts_at": starts_at, "ends_at": ends_at}
    discount = activities.create_discount(
        shop, name="Summer", percent_off=Decimal("10"), items=[item], **period
    )
    activities.create_threshold(
        shop, name="Spend more", min_spend=Decimal("300"), amount_off=Decimal("20"), **period
    )
    activities.create_flash_sale(
        shop, name="Noon", sku=item.skus.first(), flash_price=Decimal("99"), stock_limit=2,
        per_buyer_limit=1, **period,
    )  # fmt: skip
    batch = activities.create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("100"), total_count=5,
        **period,
    )  # fmt: skip
    activities.claim_coupon(batch, buyer)
    return discount


def gina_app():
    """Another developer's app, in the market with a usage plan."""
    return make_app(make_member("gina", is_developer=True), name="Gina's Tools")


def on_usage_plan(app, shop):
    """The app listed with a usage plan (listed once) and installed on `shop` from the market."""
    listing = Listing.objects.filter(app=app).first() or listings.approve(
        listings.save_listing(
            app, name=app.name, summary_en="Tools", description_en="Tools for shops.",
            category=Listing.Category.ANALYTICS, scopes=ALL_SCOPES.split(), submit=True,
            plans=[PlanSpec("Metered", Plan.Kind.USAGE, unit_price_amount=Decimal("0.10"),
                            unit_name="call")],
        )
    )  # fmt: skip
    return installs.install(shop, listing, listing.plans.get(), usage_cap="50.00")


def design_of_mei(shop):
    """A picture in Mei's space, a published design showing it, and a waiting schedule."""
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
def test_another_shops_or_another_apps_token_finds_and_changes_nothing(
    method, path, operation, shop, victim, other_seller, other_shop, make_token
):
    """Otto's token through our app, then through Gina's app (installed on Mei's shop and on
    Otto's): one victim for both, since building it is most of this test's time."""
    gina = App.objects.get(name="Gina's Tools")
    on_usage_plan(gina, other_shop)
    strangers = {
        "another shop's token": make_token(other_seller, ALL_SCOPES),
        "another app's token": make_token(other_seller, ALL_SCOPES, for_app=gina),
    }
    public = "catalog:read" in json.dumps(operation["security"])
    for who, token in strangers.items():
        before = shop_state(shop, victim["people"])
        response = send(Api(token), method, fill_path(path, victim), operation, victim)
        if "{" in path and not public:
            assert_bare_envelope(response, 404, "not_found")
        elif "{" in path:  # the public catalog shows every shop's items on sale, by design
            assert response.status_code == 200, (who, response.content)
        else:  # acting on Otto's own shop; 402: Otto has no money for a usage charge
            assert response.status_code in (200, 201, 204, 402, 409, 422), (who, response.content)
        if not public:
            text = response.content.decode()
            leaked = [secret for secret in victim["secrets"] if secret in text]
            assert not leaked, f"{who}: {operation['operationId']} leaked {leaked}: {text[:300]}"
        assert shop_state(shop, victim["people"]) == before, f"{who} changed Mei's state"


def test_another_app_mei_installed_acts_only_within_its_scopes_and_its_own_business(
    shop, seller, victim, app, make_token
):
    """Gina's app, installed by Mei: the shop's data its scopes open (Mei's grant, as to any
    app), but never our app's own business with the shop — our plan, our usage, our events."""
    gina = App.objects.get(name="Gina's Tools")
    ours = Api(make_token(seller, "shop:read"))
    theirs = Api(make_token(seller, "shop:read orders:read", for_app=gina))
    charge = {"amount": "1.00", "description": "ours"}
    assert ours.post("/billing/usage-charges", charge).status_code == 201

    orders = theirs.get("/orders")
    assert orders.status_code == 200 and orders.json()["data"], "Mei granted it her orders"
    title = {"title": "Gina's now"}
    assert_bare_envelope(
        theirs.call("PATCH", f"/items/{victim['item_id']}", title), 403, "insufficient_scope"
    )
    assert theirs.get("/billing/subscription").json()["usage_this_period"]["amount"] == "0.00"
    charged = theirs.post("/billing/usage-charges", {"amount": "2.00", "description": "theirs"})
    assert charged.status_code == 201, charged.content

    def charges_of(who) -> list[str]:
        found = UsageCharge.objects.filter(subscription__installation__app=who)
        return list(found.values_list("description", flat=True))

    assert (charges_of(app), charges_of(gina)) == (["ours"], ["theirs"])
    assert ours.get("/billing/subscription").json()["usage_this_period"]["amount"] == "1.00"
    installations.installed(app, shop, ["shop:read", "items:read"])  # Mei re-grants ours, later
    dispatcher.publish()
    assert Event.objects.filter(topic="app.installed", shop=shop).count() == 3
    feed = theirs.get("/events").json()["data"]
    assert [e["type"] for e in feed].count("app.installed") == 1, "its own, never ours"
