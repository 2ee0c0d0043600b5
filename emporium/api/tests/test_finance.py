"""Finance: settlements and fees, read only."""

from decimal import Decimal


def test_settlements_show_gross_commission_and_net(seller_api, item, order_in):
    order = order_in(item.skus.first(), "settled")
    (row,) = seller_api.get("/finance/settlements").json()["data"]
    assert (row["order_id"], row["order_number"]) == (str(order.public_id), order.number)
    # Dresses pay 5% commission on 199.00.
    assert (row["gross"]["amount"], row["commission"]["amount"], row["net"]["amount"]) == (
        "199.00",
        "9.95",
        "189.05",
    )
    assert Decimal(row["gross"]["amount"]) == Decimal(row["commission"]["amount"]) + Decimal(
        row["net"]["amount"]
    )


def test_fees_list_the_commission_of_each_settled_order(seller_api, item, order_in):
    order_in(item.skus.first(), "paid")  # not settled: no fee yet
    settled = order_in(item.skus.first(), "settled")
    (fee,) = seller_api.get("/finance/fees").json()["data"]
    assert (fee["kind"], fee["order_number"], fee["amount"]["amount"], fee["base"]["amount"]) == (
        "commission", settled.number, "9.95", "199.00",
    )  # fmt: skip
    assert seller_api.get("/finance/fees", {"since": "2999-01-01T00:00:00Z"}).json()["data"] == []


def test_another_shop_sees_none_of_it(other_api, item, order_in, other_shop):
    order_in(item.skus.first(), "settled")
    assert other_api.get("/finance/settlements").json()["data"] == []
    assert other_api.get("/finance/fees").json()["data"] == []
