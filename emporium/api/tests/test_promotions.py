"""Promotions: all kinds listed together, each kind created, one stopped early."""

from datetime import UTC, datetime, timedelta

import pytest

from emporium.api.tests.conftest import error_of
from emporium.lib import clock
from emporium.promotions.models import CouponBatch, Discount, FlashSale, Threshold

START = datetime(2026, 6, 1, tzinfo=UTC)
PERIOD = {"starts_at": "2026-06-01T00:00:00Z", "ends_at": "2026-06-30T00:00:00+08:00"}


@pytest.fixture(autouse=True)
def june():
    clock.set_time(START + timedelta(days=3))
    yield
    clock.set_time(None)


def test_it_creates_lists_and_stops_a_discount(seller_api, item):
    body = {"name": "Summer", "percent_off": "15", "item_ids": [str(item.public_id)], **PERIOD}
    created = seller_api.post("/promotions/discounts", body)
    assert created.status_code == 201, created.content
    promotion = created.json()
    assert (promotion["kind"], promotion["state"], promotion["percent_off"]) == (
        "discount",
        "running",
        "15.0",
    )
    assert promotion["item_ids"] == [str(item.public_id)]
    assert promotion["ends_at"] == "2026-06-29T16:00:00Z"
    assert [row["id"] for row in seller_api.get("/promotions").json()["data"]] == [promotion["id"]]
    stopped = seller_api.post(f"/promotions/{promotion['id']}/stop").json()
    assert stopped["state"] == "stopped"
    assert Discount.objects.get().is_stopped


def test_a_discount_on_another_shops_item_is_refused(seller_api, shop, other_shop, make_item):
    theirs = make_item(other_shop, title="Otto's phone")
    body = {"name": "Sneaky", "percent_off": "15", "item_ids": [str(theirs.public_id)], **PERIOD}
    error = error_of(seller_api.post("/promotions/discounts", body), 422, "validation_error")
    assert error["field"] == "item_ids"
    assert not Discount.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(seller_api, item):
    body = {"name": "Backwards", "percent_off": "15", "item_ids": [str(item.public_id)],
            "starts_at": PERIOD["ends_at"], "ends_at": PERIOD["starts_at"]}  # fmt: skip
    error = error_of(seller_api.post("/promotions/discounts", body), 422, "bad_period")
    assert error["field"] == "ends_at"
    assert not Discount.objects.exists()


def test_an_empty_item_list_names_the_api_field(seller_api, item):
    body = {"name": "Nothing", "percent_off": "15", "item_ids": [], **PERIOD}
    assert (
        error_of(seller_api.post("/promotions/discounts", body), 422, "items_required")["field"]
        == "item_ids"
    )


def test_it_creates_the_other_kinds(seller_api, item):
    sku = item.skus.first()
    threshold = seller_api.post(
        "/promotions/thresholds",
        {"name": "300-30", "min_spend": "300", "amount_off": "30", **PERIOD},
    )
    coupons = seller_api.post(
        "/promotions/coupons", {"name": "Ten off", "amount_off": "10", "total_count": 100, **PERIOD}
    )
    flash = seller_api.post(
        "/promotions/flash-sales",
        {"name": "Noon", "sku_id": sku.pk, "flash_price": "99.00", "stock_limit": 5, **PERIOD},
    )
    assert [r.status_code for r in (threshold, coupons, flash)] == [201, 201, 201], flash.content
    assert threshold.json()["amount_off"] == {"amount": "30.00", "currency": "CNY"}
    assert (coupons.json()["total_count"], coupons.json()["claimed_count"]) == (100, 0)
    assert (flash.json()["sku_id"], flash.json()["sold_count"]) == (sku.pk, 0)
    assert (Threshold.objects.count(), CouponBatch.objects.count(), FlashSale.objects.count()) == (
        1,
        1,
        1,
    )


def test_bad_promotion_amounts_name_their_field(seller_api, item):
    sku = item.skus.first()
    dear = {
        "name": "Not flash",
        "sku_id": sku.pk,
        "flash_price": "500.00",
        "stock_limit": 5,
        **PERIOD,
    }
    assert (
        error_of(seller_api.post("/promotions/flash-sales", dear), 422, "bad_price")["field"]
        == "flash_price"
    )
    wrong_sku = {**dear, "sku_id": 999_999, "flash_price": "1.00"}
    assert (
        error_of(seller_api.post("/promotions/flash-sales", wrong_sku), 422, "validation_error")[
            "field"
        ]
        == "sku_id"
    )
    saves_too_much = {"name": "x", "min_spend": "30", "amount_off": "300", **PERIOD}
    assert (
        error_of(seller_api.post("/promotions/thresholds", saves_too_much), 422, "bad_amount")[
            "field"
        ]
        == "amount_off"
    )
    assert not FlashSale.objects.exists() and not Threshold.objects.exists()


def test_the_list_pages_across_kinds(seller_api, item):
    for n in range(2):
        seller_api.post(
            "/promotions/thresholds",
            {"name": f"t{n}", "min_spend": "300", "amount_off": "30", **PERIOD},
        )
        seller_api.post(
            "/promotions/coupons", {"name": f"c{n}", "amount_off": "10", "total_count": 5, **PERIOD}
        )
    seen, cursor = [], None
    while True:
        body = seller_api.get(
            "/promotions", {"limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [row["name"] for row in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == ["c0", "c1", "t0", "t1"]
    assert [
        r["kind"] for r in seller_api.get("/promotions", {"kind": "coupons"}).json()["data"]
    ] == ["coupons"] * 2


def test_stopping_an_unknown_or_foreign_promotion_is_not_found(
    seller_api, other_api, item, other_shop
):
    body = {"name": "Summer", "percent_off": "15", "item_ids": [str(item.public_id)], **PERIOD}
    promotion_id = seller_api.post("/promotions/discounts", body).json()["id"]
    error_of(other_api.post(f"/promotions/{promotion_id}/stop"), 404, "not_found")
    error_of(seller_api.post("/promotions/discount_abc/stop"), 404, "not_found")
    error_of(seller_api.post("/promotions/bogus_1/stop"), 404, "not_found")
    assert not Discount.objects.get().is_stopped
