"""The API refuses what it cannot honour, with 4xx naming the field, never a 500, never a partial
write and never an event for nothing: NUL bytes, bodies that are not objects, loose numbers and
times, JSON that does not say it is JSON. And its OpenAPI document states the rules it applies."""

import json
import re

import pytest

from emporium.api.main import api
from emporium.api.schemas.common import PRICE_PATTERN
from emporium.api.tests.conftest import error_of
from emporium.catalog.models import MAX_STOCK, Item
from emporium.events.models import Event
from emporium.events.topics import CATALOGUE
from emporium.shops.models import Shop
from emporium.trade.orders import MAX_SELLER_MEMO

NUL = "bad\x00name"
PERIOD = {"starts_at": "2026-07-01T00:00:00Z", "ends_at": "2026-07-08T00:00:00Z"}


def events_of(topic: str) -> int:
    return Event.objects.filter(topic=topic).count()


@pytest.fixture
def new_item(dresses) -> dict:
    return {
        "title": "Linen dress",
        "category": "dresses",
        "skus": [{"price": "199.00", "stock": 5, "code": "LD-1"}],
    }


@pytest.mark.parametrize(
    ("path", "field"),
    [("/shop", "name"), ("/shop", "description")],
)
def test_a_nul_byte_in_a_shop_text_is_refused_naming_the_field(seller_api, shop, path, field):
    before = Shop.objects.values().get(pk=shop.pk)
    error = error_of(seller_api.patch(path, {field: NUL}), 422, "validation_error")
    assert error["field"] == field
    assert Shop.objects.values().get(pk=shop.pk) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": NUL}, "title"),
        ({"description_html": NUL}, "description_html"),
        ({"option_names": [NUL]}, "option_names"),
        ({"skus": [{"price": "1.00", "stock": 1, "code": NUL}]}, "skus.0.code"),
        ({"skus": [{"price": "1.00", "stock": 1, "options": {"Colour": NUL}}]}, "skus.0.options"),
    ],
)
def test_a_nul_byte_in_an_item_text_is_refused_naming_the_field(
    seller_api, new_item, change, field
):
    error = error_of(seller_api.post("/items", {**new_item, **change}), 422, "validation_error")
    assert error["field"] == field
    assert not Item.objects.exists()


def test_a_nul_byte_in_a_memo_a_sku_code_or_a_promotion_name_is_refused(seller_api, item):
    sku = item.skus.first()
    answer = seller_api.patch(f"/items/{item.public_id}/skus/{sku.pk}", {"code": NUL})
    assert error_of(answer, 422, "validation_error")["field"] == "code"
    answer = seller_api.post("/promotions/thresholds", {"name": NUL, "min_spend": "100",
                                                        "amount_off": "10", **PERIOD})  # fmt: skip
    assert error_of(answer, 422, "validation_error")["field"] == "name"


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/items", {"cursor": "a\x00b"}, "cursor"),
        ("/catalog/items", {"category": "dr\x00esses"}, "category"),
        ("/events", {"topic": "order.paid\x00"}, "topic"),
        ("/events", {"after": "1\x00"}, "after"),
    ],
)
def test_a_nul_byte_in_a_query_is_refused_naming_it(seller_api, make_token, path, params, field):
    answer = seller_api.get(path, params)
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"]["field"] == field


@pytest.mark.parametrize("body", [[None, None], 42, None, "name", True])
def test_a_patch_body_that_is_not_an_object_changes_nothing_and_announces_nothing(
    seller_api, shop, item, body
):
    shop_before = Shop.objects.values().get(pk=shop.pk)
    item_before = Item.objects.values().get(pk=item.pk)
    events = Event.objects.count()
    for path in ("/shop", f"/items/{item.public_id}"):
        answer = seller_api.call("PATCH", path, json.dumps(body), content_type="application/json")
        assert answer.status_code == 422, (path, answer.content)
    assert Shop.objects.values().get(pk=shop.pk) == shop_before
    assert Item.objects.values().get(pk=item.pk) == item_before
    assert Event.objects.count() == events


@pytest.mark.parametrize("stock", [False, True, "7", 7.0, MAX_STOCK + 1])
def test_stock_is_a_whole_number_up_to_the_real_maximum(seller_api, item, new_item, stock):
    sku = item.skus.first()
    answer = seller_api.patch(f"/items/{item.public_id}/skus/{sku.pk}", {"stock": stock})
    assert error_of(answer, 422, "validation_error")["field"] == "stock"
    new_item["skus"][0]["stock"] = stock
    answer = seller_api.post("/items", new_item)
    assert error_of(answer, 422, "validation_error")["field"] == "skus.0.stock"
    sku.refresh_from_db()
    assert sku.stock == 10


@pytest.mark.parametrize("moment", ["1780000000", "1780000000.5", "2026-07-01T00:00:00"])
def test_time_filters_take_iso_8601_with_a_zone_only(seller_api, moment):
    for path, name in [("/items", "updated_since"), ("/orders", "created_after"),
                       ("/finance/fees", "since"), ("/catalog/items", "updated_since")]:  # fmt: skip
        answer = seller_api.get(path, {name: moment})
        assert answer.status_code == 422, (path, answer.content)
        assert answer.json()["error"]["field"] == name


@pytest.mark.parametrize("moment", [1780000000, 1780000000.5, "1780000000"])
def test_a_promotion_starts_at_an_iso_8601_time_not_a_unix_number(seller_api, shop, moment):
    body = {"name": "Summer", "min_spend": "100", "amount_off": "10", **PERIOD}
    answer = seller_api.post("/promotions/thresholds", {**body, "starts_at": moment})
    assert error_of(answer, 422, "validation_error")["field"] == "starts_at"
    assert seller_api.post("/promotions/thresholds", body).status_code == 201


def test_json_sent_as_text_plain_is_refused_with_415(seller_api, shop):
    events = events_of("shop.updated")
    body = json.dumps({"name": "Sneaky"})
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        answer = seller_api.call("PATCH", "/shop", body, content_type=kind)
        error_of(answer, 415, "unsupported_media_type")
    shop.refresh_from_db()
    assert shop.name != "Sneaky" and events_of("shop.updated") == events
    answer = seller_api.call("PATCH", "/shop", body, content_type="application/json; charset=utf-8")
    assert answer.status_code == 200


@pytest.mark.parametrize("price", ["0", "-1", "0.001", "0.00", "1.234", "10000000.00"])
def test_prices_outside_the_servers_rules_are_refused(seller_api, new_item, price):
    new_item["skus"][0]["price"] = price
    answer = seller_api.post("/items", new_item)
    assert error_of(answer, 422, "validation_error")["field"] == "skus"  # the domain's batch field
    assert not Item.objects.exists()
    assert not re.match(PRICE_PATTERN, price)  # and the document says so


def test_an_empty_shop_name_or_item_title_is_refused_by_the_schema(seller_api, item, new_item):
    assert error_of(seller_api.patch("/shop", {"name": ""}), 422, "validation_error")
    answer = seller_api.post("/items", {**new_item, "title": ""})
    assert error_of(answer, 422, "validation_error")["field"] == "title"


@pytest.fixture(scope="module")
def document() -> dict:
    return api.get_openapi_schema()


def schema_of(document: dict, name: str) -> dict:
    return document["components"]["schemas"][name]


def prop(document: dict, model: str, field: str) -> dict:
    found = schema_of(document, model)["properties"][field]
    for option in found.get("anyOf", []):  # optional fields: the non-null branch
        if option.get("type") != "null":
            return {**option, **{k: v for k, v in found.items() if k != "anyOf"}}
    return found


def test_the_document_states_the_real_stock_maximum_and_price_rule(document):
    for model in ("SkuIn", "SkuPatch"):
        stock = prop(document, model, "stock")
        assert stock["maximum"] == MAX_STOCK and stock["minimum"] == 0
        price = prop(document, model, "price")
        assert price["pattern"] == PRICE_PATTERN
    for good in ("0.01", "0.5", "1", "199.00", "9999999.99"):
        assert re.match(PRICE_PATTERN, good)


def test_the_document_states_the_memo_limit_enums_and_non_empty_names(document):
    assert prop(document, "MemoIn", "seller_memo")["maxLength"] == MAX_SELLER_MEMO
    assert prop(document, "StatusIn", "status")["enum"] == ["on_sale", "stock_room", "deleted"]
    assert prop(document, "ItemCreate", "status")["enum"] == ["on_sale", "stock_room", "deleted"]
    assert prop(document, "ItemCreate", "title")["minLength"] == 1
    assert prop(document, "ShopPatch", "name")["minLength"] == 1
    assert prop(document, "ThresholdIn", "name")["minLength"] == 1
    feed = next(p for p in document["paths"]["/api/v1/events"]["get"]["parameters"]
                if p["name"] == "topic")  # fmt: skip
    topic = feed["schema"]["anyOf"][0]
    assert topic["enum"] == sorted(CATALOGUE)


def test_every_body_and_query_the_api_takes_is_an_input_so_nul_is_refused_everywhere():
    from pydantic import BaseModel

    from emporium.api.schemas.common import Input

    loose = []
    for _, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    for name, field in model.model_fields.items():
                        kind = field.annotation
                        if isinstance(kind, type) and issubclass(kind, BaseModel):
                            if not issubclass(kind, Input):
                                loose.append(f"{operation.view_func.__name__}.{name}")
                        elif kind is str and model.__name__ != "PathParams":
                            loose.append(f"{operation.view_func.__name__}.{name}")
    assert loose == []


@pytest.mark.parametrize("body", [{}, {"name": "Mei's Closet"}])
def test_a_patch_that_changes_nothing_announces_nothing(seller_api, shop, item, body):
    shop_before = Shop.objects.values().get(pk=shop.pk)
    item_before = Item.objects.values().get(pk=item.pk)
    events = Event.objects.count()
    assert seller_api.patch("/shop", body).status_code == 200
    same = {"title": item.title} if body else {}
    assert seller_api.patch(f"/items/{item.public_id}", same).status_code == 200
    assert Shop.objects.values().get(pk=shop.pk) == shop_before
    assert Item.objects.values().get(pk=item.pk) == item_before
    assert Event.objects.count() == events
