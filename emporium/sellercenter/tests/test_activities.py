"""Shop activities: listed as running, upcoming and ended; created in the seller's own time; stopped."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.promotions import activities
from emporium.promotions.models import CouponBatch, Discount, FlashSale, Threshold

MODELS = {
    "discounts": Discount,
    "spend-and-save": Threshold,
    "coupons": CouponBatch,
    "flash-sales": FlashSale,
}
# Mei lives in Shanghai (UTC+8): 10:00 there on 2 June is 02:00 UTC.
PERIOD = {"starts_at": "2026-06-02T10:00", "ends_at": "2026-06-09T10:00"}


def create_url(kind: str) -> str:
    return reverse("sellercenter:activity_create", args=[kind])


def valid_input(kind: str, item) -> dict:
    red_s = item.skus.first()
    return {
        "discounts": {"name": "Summer 15%", "percent_off": "15", "items": [str(item.public_id)]},
        "spend-and-save": {"name": "300-30", "min_spend": "300", "amount_off": "30"},
        "coupons": {"name": "Ten off", "amount_off": "10", "min_spend": "100", "total_count": "50"},
        "flash-sales": {"name": "Flash", "sku": str(red_s.pk), "flash_price": "99",
                        "stock_limit": "5", "per_buyer_limit": "1"},
    }[kind] | PERIOD  # fmt: skip


def week(shop, start, **kw) -> Discount:
    return activities.create_discount(
        shop, name=kw.pop("name", "Sale"), percent_off=Decimal("10"), items=kw.pop("items"),
        starts_at=start, ends_at=start + timedelta(days=7),
    )  # fmt: skip


def test_activities_are_sorted_into_running_upcoming_and_ended(
    seller_client, frozen_clock, shop, item
):
    now = frozen_clock.now()
    running = week(shop, now - timedelta(days=1), name="Running", items=[item])
    upcoming = week(shop, now + timedelta(days=1), name="Upcoming", items=[item])
    ended = week(shop, now - timedelta(days=10), name="Ended", items=[item])
    stopped = week(shop, now - timedelta(days=1), name="Stopped", items=[item])
    activities.stop(stopped)
    response = seller_client.get(reverse("sellercenter:activities"))
    context = response.context
    assert list(context["running"]) == [running]
    assert list(context["upcoming"]) == [upcoming]
    assert set(context["ended"]) == {ended, stopped}
    assert "10.0% off 1 item" in response.content.decode()


@pytest.mark.parametrize("kind", list(MODELS))
def test_each_kind_is_created_and_listed(seller_client, frozen_clock, shop, item, kind):
    response = seller_client.post(create_url(kind), valid_input(kind, item))
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == reverse("sellercenter:activity_kind", args=[kind])
    activity = MODELS[kind].objects.get()
    assert activity.shop == shop
    assert activity.starts_at == datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    assert activity.ends_at == datetime(2026, 6, 9, 2, 0, tzinfo=UTC)
    page = seller_client.get(response.url)
    assert list(page.context["upcoming"]) == [activity]


def test_the_form_offers_the_sellers_own_items_and_a_week_from_the_next_hour(
    seller_client, frozen_clock, item, other_shop, make_item
):
    make_item(other_shop, title="Otto's phone")
    page = seller_client.get(create_url("discounts"))
    html = page.content.decode()
    assert item.title in html and "Otto" not in html
    assert 'value="2026-06-01T18:00"' in html  # 09:00 UTC is 17:00 in Shanghai; next full hour
    assert 'value="2026-06-08T18:00"' in html


def test_a_discount_picks_the_date_times_in_the_sellers_zone(seller_client, item, seller):
    seller.timezone = "Europe/London"
    seller.save()
    seller_client.post(create_url("discounts"), valid_input("discounts", item))
    assert Discount.objects.get().starts_at == datetime(2026, 6, 2, 9, 0, tzinfo=UTC)  # BST


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("discounts", {"ends_at": "2026-06-01T10:00"}, "ends_at"),
        ("discounts", {"percent_off": "95"}, "percent_off"),
        ("discounts", {"percent_off": "12.25"}, "percent_off"),
        ("discounts", {"items": []}, "items"),
        ("discounts", {"name": "  "}, "name"),
        ("discounts", {"starts_at": "tomorrow"}, "starts_at"),
        ("spend-and-save", {"amount_off": "300"}, "amount_off"),
        ("spend-and-save", {"min_spend": "0"}, "min_spend"),
        ("coupons", {"min_spend": "99999999999"}, "min_spend"),
        ("coupons", {"amount_off": "100"}, "amount_off"),
        ("coupons", {"total_count": "0"}, "total_count"),
        ("flash-sales", {"flash_price": "199"}, "flash_price"),
        ("flash-sales", {"stock_limit": "11"}, "stock_limit"),
        ("flash-sales", {"per_buyer_limit": "6"}, "per_buyer_limit"),
        ("flash-sales", {"ends_at": "2026-06-02T10:00"}, "ends_at"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(seller_client, item, kind, change, field):
    response = seller_client.post(create_url(kind), valid_input(kind, item) | change)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not MODELS[kind].objects.exists()


def test_the_domain_message_reaches_the_field(seller_client, item):
    response = seller_client.post(
        create_url("discounts"), valid_input("discounts", item) | {"ends_at": "2026-06-01T10:00"}
    )
    assert response.context["form"].errors["ends_at"] == ["The end must come after the start."]
    response = seller_client.post(
        create_url("discounts"), valid_input("discounts", item) | {"percent_off": "95"}
    )
    assert response.context["form"].errors["percent_off"] == ["A discount is between 0.1% and 90%."]


def test_another_shops_item_or_sku_cannot_be_chosen(seller_client, item, other_shop, make_item):
    phone = make_item(other_shop, title="Otto's phone")
    discount = seller_client.post(
        create_url("discounts"),
        valid_input("discounts", item) | {"items": [str(item.public_id), str(phone.public_id)]},
    )
    assert "items" in discount.context["form"].errors
    flash = seller_client.post(
        create_url("flash-sales"),
        valid_input("flash-sales", item) | {"sku": str(phone.skus.get().pk)},
    )
    assert "sku" in flash.context["form"].errors
    assert not Discount.objects.exists() and not FlashSale.objects.exists()


def test_stopping_asks_first_then_stops(seller_client, frozen_clock, shop, item):
    sale = week(shop, frozen_clock.now() - timedelta(days=1), items=[item])
    url = reverse("sellercenter:activity_stop", args=["discounts", sale.pk])
    confirm = seller_client.get(url)
    assert "Stop “Sale”?" in confirm.content.decode()
    sale.refresh_from_db()
    assert not sale.is_stopped
    assert seller_client.post(url).status_code == 302
    sale.refresh_from_db()
    assert sale.is_stopped
    again = seller_client.post(url, follow=True)
    assert "Sale has already ended." in again.content.decode()


def test_an_ended_activity_offers_no_stop(seller_client, frozen_clock, shop, item):
    ended = week(shop, frozen_clock.now() - timedelta(days=10), items=[item])
    page = seller_client.get(reverse("sellercenter:activities")).content.decode()
    assert reverse("sellercenter:activity_stop", args=["discounts", ended.pk]) not in page


def test_another_shops_activity_cannot_be_stopped(
    seller_client, frozen_clock, other_shop, make_item
):
    theirs = week(
        other_shop, frozen_clock.now(), items=[make_item(other_shop, title="Otto's phone")]
    )
    url = reverse("sellercenter:activity_stop", args=["discounts", theirs.pk])
    assert seller_client.get(url).status_code == 404
    assert seller_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_stopped
    assert list(seller_client.get(reverse("sellercenter:activities")).context["running"]) == []


def test_an_unknown_kind_is_not_found(seller_client):
    page = seller_client.get(reverse("sellercenter:activity_kind", args=["lottery"]))
    assert page.status_code == 404
    assert seller_client.post(create_url("lottery"), {}).status_code == 404
