"""The CSV export: every filtered order (not only one page), exact decimals, UTC times."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.promotions import activities
from emporium.trade import refunds
from emporium.trade.models import Order

from .helpers import settle

EXPORT = reverse("sellercenter:orders_export")
HEADER = [
    "number", "created_at", "status", "buyer", "items", "items_amount", "discount_amount",
    "total_amount", "refunded_amount", "commission_amount", "carrier", "tracking_number",
]  # fmt: skip


def rows(response) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == HEADER
    return list(reader)


@pytest.fixture
def settled_and_refunded(frozen_clock, shop, item, buy, funded_buyer, other_shop, make_item):
    """At 09:00 UTC Bob buys two red S and one red M under "spend 300, save 30"; it settles.
    An hour later he buys a blue M and gets 50.00 of it back. Otto sells a phone meanwhile."""
    red_s, red_m, _blue_s, blue_m = item.skus.all()
    now = frozen_clock.now()
    activities.create_threshold(
        shop, name="300-30", min_spend=Decimal("300"), amount_off=Decimal("30"),
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7),
    )  # fmt: skip
    first = settle(buy((red_s, 2), (red_m, 1)))
    frozen_clock.advance(timedelta(hours=1))
    second = buy((blue_m, 1))
    refunds.agree(refunds.request_refund(second, funded_buyer, Decimal("50.00"), "Loose thread"))
    second.refresh_from_db()
    buy((make_item(other_shop, title="Otto's phone").skus.get(), 1))
    return first, second


def test_the_export_has_one_row_per_order_with_exact_money_and_utc_times(
    seller_client, settled_and_refunded
):
    first, second = settled_and_refunded
    response = seller_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    newest, oldest = rows(response)
    assert oldest == {
        "number": first.number,
        "created_at": "2026-06-01T09:00:00Z",
        "status": "settled",
        "buyer": "bob",
        "items": "Linen summer dress (Red / S)×2; Linen summer dress (Red / M)×1",
        "items_amount": "598.00",
        "discount_amount": "30.00",
        "total_amount": "568.00",
        "refunded_amount": "0.00",
        "commission_amount": "28.40",
        "carrier": "SF Express",
        "tracking_number": first.tracking_number,
    }
    assert newest["number"] == second.number
    assert newest["created_at"] == "2026-06-01T10:00:00Z"
    assert (newest["status"], newest["items"]) == ("paid", "Linen summer dress (Blue / M)×1")
    assert [Decimal(newest[k]) for k in ("total_amount", "refunded_amount")] == [
        Decimal("202.00"),
        Decimal("50.00"),
    ]
    assert (newest["carrier"], newest["tracking_number"]) == ("", "")


def test_times_stay_utc_whatever_the_sellers_zone(seller_client, settled_and_refunded, seller):
    seller.timezone = "America/New_York"
    seller.save()
    created = [row["created_at"] for row in rows(seller_client.get(EXPORT))]
    assert created == ["2026-06-01T10:00:00Z", "2026-06-01T09:00:00Z"]
    assert datetime.fromisoformat(created[0]).utcoffset() == timedelta(0)


def test_the_export_follows_the_filters_of_the_list(seller_client, settled_and_refunded):
    first, second = settled_and_refunded
    assert [r["number"] for r in rows(seller_client.get(EXPORT, {"status": "settled"}))] == [
        first.number
    ]
    by_number = seller_client.get(EXPORT, {"q": second.number, "page": "3"})
    assert [r["number"] for r in rows(by_number)] == [second.number]
    assert rows(seller_client.get(EXPORT, {"created_from": "2026-06-02"})) == []


def test_the_list_links_to_the_export_with_its_filters(seller_client, settled_and_refunded):
    page = seller_client.get(reverse("sellercenter:orders"), {"status": "paid", "page": "1"})
    assert f'href="{EXPORT}?status=paid"' in page.content.decode()


def test_the_export_holds_every_order_not_just_one_page(seller_client, shop, make_item, buy):
    sku = make_item(shop, price="1.50", stock=200).skus.get()
    for _ in range(60):
        buy((sku, 1), pay=False)
    exported = rows(seller_client.get(EXPORT))
    assert len(exported) == 60 == Order.objects.count()
    assert {row["total_amount"] for row in exported} == {"1.50"}


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(
    seller_client, shop, make_item, buy
):
    buy((make_item(shop, title="=HYPERLINK(1)").skus.get(), 1))
    (row,) = rows(seller_client.get(EXPORT))
    assert row["items"] == "'=HYPERLINK(1)×1"


def test_another_sellers_orders_never_leave_in_the_export(
    seller_client, other_shop, make_item, buy
):
    buy((make_item(other_shop, title="Otto's phone").skus.get(), 1))
    assert rows(seller_client.get(EXPORT)) == []
