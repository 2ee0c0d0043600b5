"""The seller's orders: list, filters, pagination, one order's page, shipping and the private memo."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.trade import refunds
from emporium.trade.models import Order

ORDERS = reverse("sellercenter:orders")
S = Order.Status


def numbers(response) -> list[str]:
    return [order.number for order in response.context["page"].object_list]


def order_url(name: str, order: Order) -> str:
    return reverse(f"sellercenter:{name}", args=[order.public_id])


@pytest.fixture
def three(frozen_clock, buy, item, other_shop, make_item, make_member_with_wallet, address_for):
    """Bob's unpaid order of 30 May, Bob's paid one of 31 May, Carl's paid one of 1 June, each at
    09:00 UTC (17:00 in Mei's Shanghai); and an order in Otto's shop that Mei must not see."""
    first, second = item.skus.all()[:2]
    frozen_clock.set_time(frozen_clock.now() - timedelta(days=2))
    unpaid = buy((first, 1), pay=False)
    frozen_clock.advance(timedelta(days=1))
    paid = buy((second, 2))
    frozen_clock.advance(timedelta(days=1))
    carl = make_member_with_wallet("carl")
    carls = buy((first, 1), buyer=carl, where=address_for(carl))
    buy((make_item(other_shop, title="Otto's phone").skus.get(), 1))
    return unpaid, paid, carls


def test_the_list_shows_the_shops_orders_newest_first(seller_client, three):
    unpaid, paid, carls = three
    response = seller_client.get(ORDERS)
    assert numbers(response) == [carls.number, paid.number, unpaid.number]
    page = response.content.decode()
    assert "Otto" not in page
    assert "Linen summer dress" in page and "×2" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "paid"}, ["carls", "paid"]),
        ({"status": "pending_payment"}, ["unpaid"]),
        ({"status": "nonsense"}, ["carls", "paid", "unpaid"]),
        ({"q": "carl"}, ["carls"]),
        ({"q": "BOB"}, ["paid", "unpaid"]),
        ({"created_from": "2026-05-31"}, ["carls", "paid"]),
        ({"created_to": "2026-05-31"}, ["paid", "unpaid"]),
        ({"created_from": "2026-05-31", "created_to": "2026-05-31"}, ["paid"]),
        ({"created_from": "2026-06-02"}, []),
        ({"created_from": "banana", "status": "paid"}, ["carls", "paid"]),
    ],
)
def test_the_list_filters(seller_client, three, query, expected):
    by_name = dict(zip(["unpaid", "paid", "carls"], three, strict=True))
    response = seller_client.get(ORDERS, query)
    assert numbers(response) == [by_name[name].number for name in expected]


def test_dates_are_days_in_the_sellers_own_zone(seller_client, frozen_clock, buy, item, seller):
    """20:00 UTC on 31 May is already 04:00 on 1 June in Mei's Shanghai."""
    frozen_clock.set_time(frozen_clock.now() - timedelta(hours=13))
    late = buy((item.skus.first(), 1))
    assert numbers(seller_client.get(ORDERS, {"created_to": "2026-05-31"})) == []
    assert numbers(seller_client.get(ORDERS, {"created_from": "2026-06-01"})) == [late.number]
    seller.timezone = "UTC"
    seller.save()
    assert numbers(seller_client.get(ORDERS, {"created_to": "2026-05-31"})) == [late.number]


def test_an_order_is_found_by_part_of_its_number(seller_client, three):
    _unpaid, paid, _carls = three
    assert numbers(seller_client.get(ORDERS, {"q": paid.number[-8:]})) == [paid.number]


def test_a_date_range_the_wrong_way_round_says_so(seller_client, three):
    response = seller_client.get(ORDERS, {"created_from": "2026-06-01", "created_to": "2026-05-01"})
    assert response.context["filters"].errors["created_to"] == [
        "The end date is before the start date."
    ]


def test_the_list_pages_by_fifty_without_a_query_per_order(
    seller_client, shop, make_item, buy, django_assert_max_num_queries
):
    sku = make_item(shop, price="10.00", stock=100).skus.get()
    for _ in range(51):
        buy((sku, 1), pay=False)
    with django_assert_max_num_queries(7):
        first = seller_client.get(ORDERS)
    assert len(numbers(first)) == 50
    assert "?page=2" in first.content.decode()
    assert len(numbers(seller_client.get(ORDERS, {"page": 2}))) == 1


def test_an_empty_list_says_no_orders_yet(seller_client):
    assert "No orders yet" in seller_client.get(ORDERS).content.decode()


def test_the_order_page_shows_lines_amounts_address_and_history(seller_client, paid_order):
    response = seller_client.get(order_url("order", paid_order))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["Linen summer dress", "Red / S", "¥199.00", "1 West Lake Road", "Bob Buyer",
                 "awaiting payment", "Mark as shipped"]:  # fmt: skip
        assert text in page, text


def test_a_seller_ships_a_paid_order_and_the_buyer_sees_it_shipped(
    seller_client, paid_order, client, buyer
):
    response = seller_client.post(
        order_url("order_ship", paid_order),
        {"carrier": "SF Express", "tracking_number": " SF1234567 "},
    )
    assert response.status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.status == S.SHIPPED
    assert (paid_order.carrier, paid_order.tracking_number) == ("SF Express", "SF1234567")
    assert paid_order.log.last().actor == "seller"

    page = seller_client.get(order_url("order", paid_order)).content.decode()
    assert 'data-testid="tracking-number">SF1234567<' in page
    client.force_login(buyer)
    mine = client.get(reverse("trade:order", args=[paid_order.public_id]))
    assert mine.context["order"].status == S.SHIPPED
    assert "SF1234567" in mine.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"carrier": "SF Express", "tracking_number": "  "}, "tracking_number",
         "Give the tracking number."),
        ({"carrier": "", "tracking_number": "SF1"}, "carrier", "Name the carrier."),
        ({"carrier": "Pigeon Post", "tracking_number": "SF1"}, "carrier", None),
        ({"carrier": "SF Express", "tracking_number": "X" * 41}, "tracking_number", None),
    ],
)  # fmt: skip
def test_shipping_with_a_missing_field_names_it_and_changes_nothing(
    seller_client, paid_order, data, field, message
):
    response = seller_client.post(order_url("order_ship", paid_order), data)
    assert response.status_code == 200
    errors = response.context["ship_form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    paid_order.refresh_from_db()
    assert (paid_order.status, paid_order.tracking_number) == (S.PAID, "")
    assert paid_order.log.count() == 2


def test_an_unpaid_order_cannot_be_shipped(seller_client, buy, item):
    order = buy((item.skus.first(), 1), pay=False)
    response = seller_client.post(
        order_url("order_ship", order), {"carrier": "EMS", "tracking_number": "E1"}
    )
    assert response.status_code == 200
    assert "cannot become shipped" in str(response.context["ship_form"].non_field_errors())
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT


def test_an_open_refund_must_be_answered_before_shipping(seller_client, paid_order, funded_buyer):
    refunds.request_refund(paid_order, funded_buyer, Decimal("199.00"), "Changed my mind")
    page = seller_client.get(order_url("order", paid_order)).content.decode()
    assert "The buyer asks for ¥199.00 back." in page
    response = seller_client.post(
        order_url("order_ship", paid_order), {"carrier": "EMS", "tracking_number": "E1"}
    )
    assert response.context["ship_form"].non_field_errors() == [
        "Answer the buyer's refund request first."
    ]
    paid_order.refresh_from_db()
    assert paid_order.status == S.PAID


def test_the_seller_keeps_a_private_memo_on_the_order(seller_client, paid_order, client, buyer):
    url = order_url("order_memo", paid_order)
    assert seller_client.post(url, {"seller_memo": " Gift wrap, blue ribbon "}).status_code == 302
    paid_order.refresh_from_db()
    assert paid_order.seller_memo == "Gift wrap, blue ribbon"
    page = seller_client.get(order_url("order", paid_order)).content.decode()
    assert "Gift wrap, blue ribbon" in page
    client.force_login(buyer)
    buyers_page = client.get(reverse("trade:order", args=[paid_order.public_id]))
    assert "blue ribbon" not in buyers_page.content.decode()


def test_a_memo_too_long_is_refused(seller_client, paid_order):
    response = seller_client.post(order_url("order_memo", paid_order), {"seller_memo": "x" * 501})
    assert response.status_code == 200
    assert "seller_memo" in response.context["memo_form"].errors
    paid_order.refresh_from_db()
    assert paid_order.seller_memo == ""


def test_another_shops_order_is_not_found(seller_client, other_shop, make_item, buy):
    order = buy((make_item(other_shop, title="Otto's phone").skus.get(), 1))
    assert seller_client.get(order_url("order", order)).status_code == 404
    ship = seller_client.post(
        order_url("order_ship", order), {"carrier": "EMS", "tracking_number": "E1"}
    )
    assert ship.status_code == 404
    memo = seller_client.post(order_url("order_memo", order), {"seller_memo": "mine now"})
    assert memo.status_code == 404
    order.refresh_from_db()
    assert (order.status, order.seller_memo) == (S.PAID, "")


def test_shipping_and_memo_refuse_get(seller_client, paid_order):
    assert seller_client.get(order_url("order_ship", paid_order)).status_code == 405
    assert seller_client.get(order_url("order_memo", paid_order)).status_code == 405
