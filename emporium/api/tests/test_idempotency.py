"""Idempotency-Key on creating POSTs: retries replay the first answer and never create twice."""

from datetime import timedelta

from emporium.api import idempotency
from emporium.api.models import IdempotencyRecord
from emporium.api.tests.conftest import Api, error_of
from emporium.catalog.models import Item, ItemImage
from emporium.conftest import picture_bytes
from emporium.lib import clock

COAT = {"title": "Wool coat", "category": "dresses", "skus": [{"price": "399.00", "stock": 3}]}


def create(api: Api, body: dict, key: str | None = "key-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post("/items", body, **headers, **extra)


def test_the_same_key_and_body_replay_the_first_response(seller_api, dresses):
    first = create(seller_api, COAT)
    again = create(seller_api, dict(reversed(COAT.items())))  # same content, other key order
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Item.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(seller_api, dresses):
    create(seller_api, COAT)
    error = error_of(
        create(seller_api, {**COAT, "title": "Silk coat"}), 422, "idempotency_key_reused"
    )
    assert error["field"] == "Idempotency-Key"
    assert Item.objects.count() == 1


def test_another_key_creates_another_item(seller_api, dresses):
    create(seller_api, COAT, "key-1")
    create(seller_api, COAT, "key-2")
    assert Item.objects.count() == 2


def test_keys_belong_to_one_shop(seller_api, other_api, dresses):
    mine, theirs = create(seller_api, COAT), create(other_api, COAT)
    assert mine.json()["id"] != theirs.json()["id"]
    assert IdempotencyRecord.objects.count() == 2


def test_a_refused_request_stores_nothing_so_the_fixed_one_may_use_the_key(seller_api, dresses):
    error_of(create(seller_api, {**COAT, "category": "nope"}), 422, "validation_error")
    assert not IdempotencyRecord.objects.exists()
    assert create(seller_api, COAT).status_code == 201


def test_a_key_expires(seller_api, dresses, settings):
    create(seller_api, COAT)
    clock.set_time(clock.now() + timedelta(hours=settings.API_IDEMPOTENCY_HOURS, minutes=1))
    try:
        assert create(seller_api, {**COAT, "title": "Next season's coat"}).status_code == 201
    finally:
        clock.set_time(None)
    assert Item.objects.count() == 2


def test_a_malformed_key_is_refused(seller_api, dresses):
    error_of(create(seller_api, COAT, "x" * 256), 422, "invalid_idempotency_key")
    error_of(create(seller_api, COAT, "with space"), 422, "invalid_idempotency_key")
    assert not Item.objects.exists()


def test_without_a_key_every_post_creates(seller_api, dresses):
    create(seller_api, COAT, None)
    create(seller_api, COAT, None)
    assert Item.objects.count() == 2


def test_an_upload_retried_with_the_same_key_stores_one_picture(seller_api, item):
    def upload():
        return seller_api.client.post(
            f"/api/v1/items/{item.public_id}/images",
            {"image": _file(picture_bytes())},
            HTTP_IDEMPOTENCY_KEY="upload-1",
            **seller_api.headers,
        )

    first, again = upload(), upload()  # a new multipart boundary each time
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert ItemImage.objects.filter(item=item).count() == 1


def _file(data: bytes):
    import io

    upload = io.BytesIO(data)
    upload.name = "dress.png"
    return upload


def test_expired_keys_are_purged(seller_api, dresses, settings):
    create(seller_api, COAT)
    assert idempotency.purge_expired() == 0
    clock.set_time(clock.now() + timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1))
    try:
        assert idempotency.purge_expired() == 1
    finally:
        clock.set_time(None)
    assert not IdempotencyRecord.objects.exists()
