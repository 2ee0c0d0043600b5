"""The conventions every endpoint shares: the envelope, request ids, cursors, the docs."""

import pytest
from django.test import Client

from emporium.api import middleware
from emporium.api.tests.conftest import Api, error_of


def test_every_response_carries_a_fresh_request_id(seller_api):
    first, second = seller_api.get("/shop"), seller_api.get("/shop")
    assert first["X-Request-Id"].startswith("req_")
    assert first["X-Request-Id"] != second["X-Request-Id"]


def test_it_honours_a_clients_request_id_and_replaces_an_unsafe_one(seller_api):
    assert seller_api.get("/shop", HTTP_X_REQUEST_ID="sync-42.a")["X-Request-Id"] == "sync-42.a"
    unsafe = seller_api.get("/shop", HTTP_X_REQUEST_ID="bad id\r\nx")["X-Request-Id"]
    assert unsafe.startswith("req_")


def test_an_unknown_url_answers_in_the_envelope(seller_api):
    error = error_of(seller_api.get("/no-such-thing"), 404, "not_found")
    assert error["message"]


def test_a_wrong_method_answers_405_in_the_envelope(seller_api):
    response = seller_api.delete("/shop")
    error_of(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_body_that_is_not_json_is_refused(seller_api, shop):
    response = seller_api.call("PATCH", "/shop", "{not json", content_type="application/json")
    error_of(response, 400, "malformed_json")


def test_a_validation_error_names_the_field(seller_api):
    error = error_of(seller_api.get("/items", {"limit": 500}), 422, "validation_error")
    assert error["field"] == "limit"


def test_a_malformed_path_id_is_a_validation_error_of_that_field(seller_api):
    error = error_of(seller_api.get("/items/not-a-uuid"), 422, "validation_error")
    assert error["field"] == "item_id"


def test_a_naive_time_is_refused(seller_api):
    error = error_of(
        seller_api.get("/items", {"updated_since": "2026-01-01T00:00:00"}), 422, "validation_error"
    )
    assert error["field"] == "updated_since"


def test_a_crash_answers_500_in_the_envelope_with_the_request_id(seller_api, monkeypatch):
    def broken(shop):
        raise RuntimeError("boom")

    monkeypatch.setattr("emporium.api.routes.shop.shop_out", broken)
    error = error_of(seller_api.get("/shop", HTTP_X_REQUEST_ID="trace-me"), 500, "internal_error")
    assert error["request_id"] == "trace-me"
    assert "boom" not in error["message"]


def test_route_templates_name_the_pattern_not_the_values(rf):
    request = rf.get("/api/v1/items/123")
    request.resolver_match = type(
        "Match", (), {"route": "api/v1/items/<item_id>/skus/<int:sku_id>"}
    )
    assert middleware.route_template(request) == "/items/{item_id}/skus/{sku_id}"


# ---------------------------------------------------------------- cursor pagination


@pytest.fixture
def five_items(shop, make_item):
    return [make_item(shop, title=f"Dress {n}") for n in range(5)]


def walk(api: Api, path: str, **params) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, query).json()
        pages.append([row["title"] for row in body["data"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_a_list_pages_through_every_row_once(seller_api, five_items):
    pages = walk(seller_api, "/items", limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(item.title for item in five_items)


def test_a_cursor_stays_valid_while_rows_are_added(seller_api, five_items, shop, make_item):
    first = seller_api.get("/items", {"limit": 2}).json()
    make_item(shop, title="Added meanwhile")
    rest = walk(seller_api, "/items", limit=2, cursor=first["next_cursor"])
    seen = [row["title"] for row in first["data"]] + sum(rest, [])
    assert len(seen) == len(set(seen)) == 6  # nothing twice, the newcomer at the end


def test_a_cursor_is_opaque_and_refused_when_forged_or_foreign(seller_api, five_items):
    cursor = seller_api.get("/items", {"limit": 2}).json()["next_cursor"]
    assert "Dress" not in cursor
    error_of(seller_api.get("/items", {"cursor": "garbage!"}), 422, "invalid_cursor")
    assert (
        error_of(seller_api.get("/orders", {"cursor": cursor}), 422, "invalid_cursor")["field"]
        == "cursor"
    )


def test_the_openapi_document_is_3_1_with_oauth2_scopes(seller_api):
    document = Api().get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert "items:write" in flows["authorizationCode"]["scopes"]
    assert list(flows["clientCredentials"]["scopes"]) == ["catalog:read"]
    ship = document["paths"]["/api/v1/orders/{order_id}/ship"]["post"]
    assert ship["security"] == [{"oauth2": ["orders:write"]}]
    assert ship["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorEnvelope"
    }
    create = document["paths"]["/api/v1/items"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]


def test_the_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


def test_a_body_over_the_limit_is_413(seller_api, shop, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    error_of(seller_api.patch("/shop", {"description": "x" * 2000}), 413, "payload_too_large")
    shop.refresh_from_db()
    assert shop.description == "Dresses and coats"


def test_bearer_calls_need_no_csrf_token(seller, shop, make_token):
    """Apps are not browsers: a real client sends no CSRF cookie, and must not need one."""
    client = Api(make_token(seller))
    client.client = Client(enforce_csrf_checks=True)
    assert client.patch("/shop", {"description": "from an app"}).status_code == 200
