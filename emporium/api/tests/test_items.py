"""Items through the API: list with cursor, create, read, change, SKUs, pictures, status."""

from emporium.api.tests.conftest import error_of
from emporium.catalog.models import Item


def test_it_lists_the_shops_items(seller_api, item, other_shop, make_item):
    make_item(other_shop, title="Otto's phone")
    response = seller_api.get("/items")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["title"] for row in body["data"]] == [item.title]
    assert body["next_cursor"] is None
    row = body["data"][0]
    assert row["id"] == str(item.public_id)
    assert row["price"] == {"amount": "199.00", "currency": "CNY"}
    assert len(row["skus"]) == 4
    assert row["updated_at"].endswith("Z")


def test_it_creates_an_item(seller_api, shop, dresses):
    body = {
        "title": "Wool coat",
        "category": "dresses",
        "option_names": ["Size"],
        "skus": [
            {"options": {"Size": "S"}, "price": "399.00", "stock": 3},
            {"options": {"Size": "M"}, "price": "409.50", "stock": 2},
        ],
    }
    response = seller_api.post("/items", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["price"]["amount"] == "399.00"
    assert created["stock"] == 5
    assert created["status"] == "stock_room"
    assert Item.objects.get(public_id=created["id"]).shop == shop


def test_an_item_is_not_created_on_sale_without_a_picture(seller_api, shop, dresses):
    """Issue 23, point 8: create, add pictures, then list — the API as the seller center."""
    body = {"title": "Wool coat", "category": "dresses",
            "skus": [{"price": "399.00", "stock": 3}], "status": "on_sale"}  # fmt: skip
    error = error_of(seller_api.post("/items", body), 422, "picture_required")
    assert error["field"] == "status" and "picture" in error["message"]
    assert not Item.objects.exists(), "a refused item leaves nothing behind"


def test_it_names_the_field_of_a_bad_item_and_writes_nothing(seller_api, shop, dresses):
    body = {"title": " ", "category": "dresses", "skus": [{"price": "1.00", "stock": 1}]}
    error = error_of(seller_api.post("/items", body), 422, "validation_error")
    assert error["field"] == "title"
    assert not Item.objects.exists()


def test_it_filters_by_status_and_hides_deleted_items(seller_api, shop, make_item):
    make_item(shop, title="Listed")
    make_item(shop, title="Stored", status=Item.Status.STOCK_ROOM)
    make_item(shop, title="Gone", status=Item.Status.DELETED)

    def titles(**params):
        return [row["title"] for row in seller_api.get("/items", params).json()["data"]]

    assert sorted(titles()) == ["Listed", "Stored"]
    assert titles(status="stock_room") == ["Stored"]
    assert titles(status="deleted") == ["Gone"]
    error_of(seller_api.get("/items", {"status": "sold"}), 422, "validation_error")


def test_it_lists_what_changed_since(seller_api, shop, make_item):
    old = make_item(shop, title="Old")
    Item.objects.filter(pk=old.pk).update(updated_at="2020-01-01T00:00:00Z")
    make_item(shop, title="New")
    rows = seller_api.get("/items", {"updated_since": "2021-01-01T00:00:00+08:00"}).json()["data"]
    assert [row["title"] for row in rows] == ["New"]


def test_it_reads_one_item_but_not_another_shops(seller_api, item, other_shop, make_item):
    body = seller_api.get(f"/items/{item.public_id}").json()
    assert body["option_names"] == ["Colour", "Size"]
    assert body["skus"][0]["options"] == {"Colour": "Red", "Size": "S"}
    theirs = make_item(other_shop, title="Otto's phone")
    error = error_of(seller_api.get(f"/items/{theirs.public_id}"), 404, "not_found")
    assert "phone" not in error["message"]


def test_it_changes_the_title_only(seller_api, item):
    body = seller_api.patch(f"/items/{item.public_id}", {"title": "Linen dress, long"}).json()
    assert (body["title"], body["category"]) == ("Linen dress, long", "dresses")


def test_an_unknown_or_parent_category_is_refused(seller_api, item):
    unknown = error_of(
        seller_api.patch(f"/items/{item.public_id}", {"category": "nope"}), 422, "validation_error"
    )
    parent = error_of(
        seller_api.patch(f"/items/{item.public_id}", {"category": "women"}), 422, "validation_error"
    )
    assert unknown["field"] == parent["field"] == "category"
    item.refresh_from_db()
    assert item.category.slug == "dresses"


def test_delete_hides_the_item_but_keeps_it_readable(seller_api, item):
    assert seller_api.delete(f"/items/{item.public_id}").status_code == 204
    assert seller_api.get("/items").json()["data"] == []
    assert seller_api.get(f"/items/{item.public_id}").json()["status"] == "deleted"


def test_it_lists_and_delists(seller_api, item):
    assert (
        seller_api.post(f"/items/{item.public_id}/status", {"status": "stock_room"}).json()[
            "status"
        ]
        == "stock_room"
    )
    error = error_of(
        seller_api.post(f"/items/{item.public_id}/status", {"status": "gone"}),
        422,
        "validation_error",
    )
    assert error["field"] == "status"


def test_an_item_without_stock_cannot_go_on_sale(seller_api, shop, make_item):
    empty = make_item(shop, stock=0, status=Item.Status.STOCK_ROOM)
    error = error_of(
        seller_api.post(f"/items/{empty.public_id}/status", {"status": "on_sale"}),
        422,
        "validation_error",
    )
    assert error["field"] == "status"
    empty.refresh_from_db()
    assert empty.status == Item.Status.STOCK_ROOM


def test_bad_skus_are_refused_with_the_field_named(seller_api, shop, dresses):
    base = {"title": "Coat", "category": "dresses", "option_names": ["Size"]}
    not_a_number = {**base, "skus": [{"options": {"Size": "S"}, "price": "cheap", "stock": 1}]}
    three_places = {**base, "skus": [{"options": {"Size": "S"}, "price": "1.005", "stock": 1}]}
    no_option = {**base, "skus": [{"options": {}, "price": "1.00", "stock": 1}]}
    assert (
        error_of(seller_api.post("/items", not_a_number), 422, "validation_error")["field"]
        == "skus.0.price"
    )
    assert (
        error_of(seller_api.post("/items", three_places), 422, "validation_error")["field"]
        == "skus"
    )
    assert (
        error_of(seller_api.post("/items", no_option), 422, "validation_error")["field"] == "skus"
    )
    assert error_of(seller_api.post("/items", {"title": "Coat"}), 422, "validation_error")[
        "field"
    ] in (
        "category",
        "skus",
    )
    assert not Item.objects.exists()


def test_a_page_costs_the_same_queries_whatever_its_size(seller_api, shop, make_item):
    """Token, items, their SKUs, their pictures: no query per row (and none for the rate-limit
    bucket, which the first call leased)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(12):
        make_item(shop, title=f"Dress {n}", options={"Size": ["S", "M"]})

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert seller_api.get("/items", {"limit": limit}).status_code == 200
        return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])

    seller_api.get("/shop")  # the first call of an (app, shop) creates its bucket and leases
    assert queries(2) == queries(12) == 4


def test_an_item_without_a_picture_cannot_go_on_sale(seller_api, shop, make_item):
    """Issue 23: no sale without a picture, through the API as in the seller center."""
    bare = make_item(shop, status=Item.Status.STOCK_ROOM)
    error = error_of(
        seller_api.post(f"/items/{bare.public_id}/status", {"status": "on_sale"}),
        422,
        "picture_required",
    )
    assert error["field"] == "status" and "picture" in error["message"]
    bare.refresh_from_db()
    assert bare.status == Item.Status.STOCK_ROOM
