"""An item's SKUs and pictures."""

import io

from emporium.api.tests.conftest import error_of
from emporium.catalog.models import ItemImage, Sku
from emporium.conftest import picture_bytes


def test_replacing_skus_keeps_the_ids_of_surviving_options(seller_api, item):
    red_s = item.skus.get(options={"Colour": "Red", "Size": "S"})
    body = {
        "option_names": ["Colour", "Size"],
        "skus": [
            {"options": {"Colour": "Red", "Size": "S"}, "price": "150.00", "stock": 1},
            {"options": {"Colour": "Red", "Size": "L"}, "price": "160.00", "stock": 2},
        ],
    }
    response = seller_api.put(f"/items/{item.public_id}/skus", body)
    assert response.status_code == 200, response.content
    skus = response.json()["skus"]
    assert skus[0]["id"] == red_s.pk
    assert [s["price"]["amount"] for s in skus] == ["150.00", "160.00"]
    assert response.json()["stock"] == 3


def test_duplicate_options_are_refused_and_nothing_changes(seller_api, item):
    twice = {"options": {"Colour": "Red", "Size": "S"}, "price": "1.00", "stock": 1}
    response = seller_api.put(
        f"/items/{item.public_id}/skus",
        {"option_names": ["Colour", "Size"], "skus": [twice, twice]},
    )
    assert error_of(response, 422, "validation_error")["field"] == "skus"
    assert item.skus.count() == 4


def test_one_sku_changes_price_and_stock(seller_api, item):
    sku = item.skus.first()
    response = seller_api.patch(
        f"/items/{item.public_id}/skus/{sku.pk}", {"price": "99.90", "stock": 7}
    )
    assert response.json() == {
        "id": sku.pk, "options": sku.options, "code": "", "price": {"amount": "99.90", "currency": "CNY"}, "stock": 7,
    }  # fmt: skip
    item.refresh_from_db()
    assert str(item.price) == "99.90"


def test_a_bad_sku_price_names_the_field_and_changes_nothing(seller_api, item):
    sku = item.skus.first()
    error = error_of(
        seller_api.patch(f"/items/{item.public_id}/skus/{sku.pk}", {"price": "0"}),
        422,
        "validation_error",
    )
    assert error["field"] == "price"
    error = error_of(
        seller_api.patch(f"/items/{item.public_id}/skus/{sku.pk}", {"stock": -1}),
        422,
        "validation_error",
    )
    assert error["field"] == "stock"
    sku.refresh_from_db()
    assert (str(sku.price), sku.stock) == ("199.00", 10)


def test_a_sku_of_another_item_is_not_found(seller_api, item, shop, make_item):
    other = make_item(shop, title="Other").skus.get()
    error_of(
        seller_api.patch(f"/items/{item.public_id}/skus/{other.pk}", {"stock": 1}), 404, "not_found"
    )
    assert Sku.objects.get(pk=other.pk).stock == 10


def upload(api, item, data: bytes, name: str = "dress.png"):
    file = io.BytesIO(data)
    file.name = name
    return api.client.post(f"/api/v1/items/{item.public_id}/images", {"image": file}, **api.headers)


def test_it_stores_an_uploaded_picture(seller_api, item):
    response = upload(seller_api, item, picture_bytes("JPEG", size=(80, 60)), "photo.png")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["width"], body["height"], body["position"]) == (80, 60, 0)
    assert body["urls"]["600"].endswith(".webp")
    assert seller_api.get(f"/items/{item.public_id}").json()["images"][0]["id"] == body["id"]


def test_a_file_that_is_not_a_picture_is_refused_whatever_its_name(seller_api, item):
    error = error_of(
        upload(seller_api, item, b"#!/bin/sh\necho hi\n", "evil.png"), 422, "image_rejected"
    )
    assert error["field"] == "image"
    assert not ItemImage.objects.exists()


def test_an_upload_without_a_file_names_the_field(seller_api, item):
    response = seller_api.client.post(
        f"/api/v1/items/{item.public_id}/images", {}, **seller_api.headers
    )
    assert error_of(response, 422, "validation_error")["field"] == "image"


def test_an_ordered_sku_cannot_be_replaced_away(seller_api, item, order_in):
    ordered = item.skus.first()
    order_in(ordered, "paid")
    keep_other = {"options": {"Colour": "Blue", "Size": "M"}, "price": "1.00", "stock": 1}
    body = {"option_names": ["Colour", "Size"], "skus": [keep_other]}
    error = error_of(seller_api.put(f"/items/{item.public_id}/skus", body), 422, "validation_error")
    assert error["field"] == "skus"
    assert item.skus.count() == 4
