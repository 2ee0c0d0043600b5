"""The picture space over the API: upload with the item pictures' checks, folders, quota, usage."""

import io

from emporium.api.tests.conftest import error_of
from emporium.fixtures import picture_bytes
from emporium.pictures.models import Picture


def upload(api, data: bytes, name: str = "banner.png", headers=None, **fields):
    file = io.BytesIO(data)
    file.name = name
    return api.client.post(
        "/api/v1/pictures", {"image": file, **fields}, **api.headers, **(headers or {})
    )


def test_an_upload_lands_in_its_folder(seller_api, shop):
    response = upload(seller_api, picture_bytes(size=(320, 200)), folder="banners/summer")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["folder"], body["width"], body["height"]) == ("banners/summer", 320, 200)
    assert body["url"].endswith(f"{body['key']}_1200.webp")
    listed = seller_api.get("/pictures", {"folder": "banners/summer"}).json()
    assert [p["id"] for p in listed["data"]] == [body["id"]]
    assert seller_api.get("/pictures", {"folder": "other"}).json()["data"] == []
    space = seller_api.get("/pictures/space").json()
    assert space["pictures"] == 1
    assert space["folders"] == [{"name": "banners/summer", "pictures": 1}]
    assert space["used_bytes"] == body["size_bytes"]


def test_a_retried_upload_with_the_same_key_makes_one_picture(seller_api, shop):
    data = picture_bytes()
    first = upload(seller_api, data, headers={"HTTP_IDEMPOTENCY_KEY": "up-1"})
    again = upload(seller_api, data, headers={"HTTP_IDEMPOTENCY_KEY": "up-1"})
    assert again.json() == first.json()
    assert Picture.objects.filter(shop=shop).count() == 1


def test_corrupt_and_oversized_pictures_are_refused_with_the_reason(seller_api, settings, shop):
    error = error_of(upload(seller_api, b"\x89PNG\r\n\x1a\nnot really"), 422, "image_rejected")
    assert "damaged" in error["message"]
    settings.IMAGE_MAX_BYTES = 100
    error = error_of(upload(seller_api, picture_bytes(size=(200, 200))), 422, "image_rejected")
    assert "limit is 100" in error["message"]
    settings.IMAGE_MAX_BYTES = 8 * 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 1000
    error = error_of(upload(seller_api, picture_bytes(size=(100, 100))), 422, "image_rejected")
    assert "pixels" in error["message"]
    assert not Picture.objects.filter(shop=shop).exists()


def test_the_quota_refuses_a_picture_that_does_not_fit(seller_api, settings, shop):
    data = picture_bytes(size=(50, 50))
    settings.PICTURE_SPACE_QUOTA_BYTES = len(data) + 10
    assert upload(seller_api, data).status_code == 201
    error = error_of(
        upload(seller_api, picture_bytes(size=(60, 60))), 409, "picture_quota_exceeded"
    )
    assert "full" in error["message"]
    assert Picture.objects.filter(shop=shop).count() == 1


def test_a_bad_folder_is_named(seller_api):
    error = error_of(upload(seller_api, picture_bytes(), folder="a/b/c/d"), 422, "validation_error")
    assert error["field"] == "folder"


def test_usage_names_the_design_and_delete_asks_first(seller_api, shop):
    body = upload(seller_api, picture_bytes()).json()
    seller_api.put(
        "/design/draft", {"sections": [{"type": "banner", "settings": {"picture": body["key"]}}]}
    )
    seller_api.post("/design/publish")
    usage = seller_api.get(f"/pictures/{body['id']}/usage").json()
    assert {d["where"] for d in usage["designs"]} == {"draft", "live"}
    error = error_of(seller_api.delete(f"/pictures/{body['id']}"), 409, "picture_in_use")
    assert "design" in error["message"]
    assert seller_api.delete(f"/pictures/{body['id']}?force=true").status_code == 204
    assert not Picture.objects.filter(shop=shop).exists()
    # The shop page still renders: the banner shows its placeholder.


def test_rename_and_move(seller_api):
    body = upload(seller_api, picture_bytes()).json()
    moved = seller_api.patch(f"/pictures/{body['id']}", {"name": "Hero", "folder": "home"})
    assert (moved.json()["name"], moved.json()["folder"]) == ("Hero", "home")


def test_another_shops_picture_is_not_found(seller_api, other_api):
    body = upload(seller_api, picture_bytes()).json()
    error_of(other_api.get(f"/pictures/{body['id']}"), 404, "not_found")
    error_of(other_api.delete(f"/pictures/{body['id']}?force=true"), 404, "not_found")
