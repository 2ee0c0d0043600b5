"""Refunds: list, agree, refuse."""

from emporium.api.tests.conftest import error_of
from emporium.trade.refunds import request_refund


def refund_of(order, buyer, amount=None):
    return request_refund(order, buyer, amount or order.total_amount, "wrong size")


def test_it_lists_refund_requests(seller_api, item, order_in, funded_buyer):
    order = order_in(item.skus.first(), "paid")
    refund = refund_of(order, funded_buyer)
    body = seller_api.get("/refunds").json()
    assert [row["id"] for row in body["data"]] == [str(refund.public_id)]
    row = body["data"][0]
    assert (row["order_number"], row["status"], row["amount"]["amount"]) == (
        order.number,
        "requested",
        "199.00",
    )
    assert seller_api.get("/refunds", {"status": "agreed"}).json()["data"] == []


def test_agreeing_pays_the_buyer_back(seller_api, item, order_in, funded_buyer, books_balance):
    order = order_in(item.skus.first(), "paid")
    refund = refund_of(order, funded_buyer)
    body = seller_api.post(f"/refunds/{refund.public_id}/agree", {"note": "sorry"}).json()
    assert body["status"] == "agreed" and body["resolved_at"]
    order.refresh_from_db()
    assert order.status == "cancelled"
    books_balance()
    error_of(seller_api.post(f"/refunds/{refund.public_id}/agree", {}), 409, "refund_closed")


def test_refusing_needs_a_note(seller_api, item, order_in, funded_buyer):
    refund = refund_of(order_in(item.skus.first(), "shipped"), funded_buyer)
    error = error_of(
        seller_api.post(f"/refunds/{refund.public_id}/refuse", {"note": " "}), 422, "note_required"
    )
    assert error["field"] == "note"
    refund.refresh_from_db()
    assert refund.status == "requested"
    body = seller_api.post(f"/refunds/{refund.public_id}/refuse", {"note": "worn already"}).json()
    assert (body["status"], body["seller_note"]) == ("refused", "worn already")


def test_another_shops_refund_is_not_found(other_api, item, order_in, funded_buyer, other_shop):
    refund = refund_of(order_in(item.skus.first(), "paid"), funded_buyer)
    error_of(other_api.post(f"/refunds/{refund.public_id}/agree", {}), 404, "not_found")
    refund.refresh_from_db()
    assert refund.status == "requested"
