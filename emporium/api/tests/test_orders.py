"""Orders: list with filters, read, ship, memo."""

from datetime import timedelta

from emporium.api.tests.conftest import error_of
from emporium.trade.models import Order


def test_it_lists_orders_newest_first_with_filters(seller_api, item, order_in):
    sku = item.skus.first()
    paid, pending = order_in(sku, "paid"), order_in(sku, "pending_payment")
    Order.objects.filter(pk=paid.pk).update(created_at=paid.created_at - timedelta(days=2))

    def numbers(**params):
        return [row["number"] for row in seller_api.get("/orders", params).json()["data"]]

    assert numbers() == [pending.number, paid.number]
    assert numbers(status="paid") == [paid.number]
    cutoff = (pending.created_at - timedelta(days=1)).isoformat()
    assert numbers(created_after=cutoff) == [pending.number]
    assert numbers(created_before=cutoff) == [paid.number]


def test_orders_page_with_a_cursor(seller_api, item, order_in):
    placed = [order_in(item.skus.first(), "pending_payment") for _ in range(3)]
    first = seller_api.get("/orders", {"limit": 2}).json()
    second = seller_api.get("/orders", {"limit": 2, "cursor": first["next_cursor"]}).json()
    seen = [row["id"] for row in first["data"] + second["data"]]
    assert sorted(seen) == sorted(str(o.public_id) for o in placed)
    assert second["next_cursor"] is None


def test_it_shows_an_order_with_lines_amounts_and_address(seller_api, item, order_in, buyer):
    order = order_in(item.skus.first(), "paid", quantity=2)
    body = seller_api.get(f"/orders/{order.public_id}").json()
    assert body["status"] == "paid"
    assert body["total_amount"] == {"amount": "398.00", "currency": "CNY"}
    assert body["lines"][0]["quantity"] == 2
    assert body["lines"][0]["item_id"] == str(item.public_id)
    assert body["address"]["city"] == "Hangzhou"
    assert body["buyer"]["name"] == "Bob Buyer"
    assert buyer.email not in str(body)
    assert body["paid_at"].endswith("Z") and body["shipped_at"] is None


def test_it_ships_a_paid_order(seller_api, item, order_in):
    order = order_in(item.skus.first(), "paid")
    body = seller_api.post(
        f"/orders/{order.public_id}/ship", {"carrier": "SF Express", "tracking_number": "SF9"}
    ).json()
    assert (body["status"], body["carrier"], body["tracking_number"]) == (
        "shipped",
        "SF Express",
        "SF9",
    )


def test_shipping_without_a_carrier_names_the_field(seller_api, item, order_in):
    order = order_in(item.skus.first(), "paid")
    response = seller_api.post(
        f"/orders/{order.public_id}/ship", {"carrier": " ", "tracking_number": "SF9"}
    )
    error = error_of(response, 422, "carrier_required")
    assert error["field"] == "carrier"
    order.refresh_from_db()
    assert order.status == "paid"


def test_an_unpaid_order_cannot_ship(seller_api, item, order_in):
    order = order_in(item.skus.first(), "pending_payment")
    response = seller_api.post(
        f"/orders/{order.public_id}/ship", {"carrier": "SF", "tracking_number": "1"}
    )
    error_of(response, 409, "invalid_transition")


def test_it_writes_the_sellers_memo(seller_api, item, order_in):
    order = order_in(item.skus.first(), "paid")
    body = seller_api.patch(
        f"/orders/{order.public_id}/memo", {"seller_memo": "VIP, gift wrap"}
    ).json()
    assert body["seller_memo"] == "VIP, gift wrap"
    error = error_of(
        seller_api.patch(f"/orders/{order.public_id}/memo", {"seller_memo": "x" * 501}),
        422,
        "memo_too_long",
    )
    assert error["field"] == "seller_memo"
    order.refresh_from_db()
    assert order.seller_memo == "VIP, gift wrap"


def test_another_shops_order_is_not_found(other_api, item, order_in, other_shop):
    order = order_in(item.skus.first(), "paid")
    error_of(other_api.get(f"/orders/{order.public_id}"), 404, "not_found")
    assert other_api.get("/orders").json()["data"] == []
