"""Customers: who bought, from where, how often — and nothing to reach them by."""

from emporium.api.tests.conftest import error_of


def test_it_lists_the_shops_customers_without_contact_details(
    seller_api, item, order_in, funded_buyer
):
    order_in(item.skus.first(), "paid")
    order_in(item.skus.first(), "pending_payment")
    body = seller_api.get("/customers").json()
    (row,) = body["data"]
    assert (row["name"], row["province"], row["city"], row["order_count"]) == (
        "Bob Buyer",
        "Zhejiang",
        "Hangzhou",
        2,
    )
    assert set(row) == {
        "id",
        "name",
        "province",
        "city",
        "order_count",
        "first_order_at",
        "last_order_at",
    }
    text = str(body)
    assert funded_buyer.email not in text and "13800000000" not in text and "West Lake" not in text


def test_a_customer_has_another_id_in_every_shop(
    seller_api, other_api, item, other_shop, make_item, order_in, phones
):
    order_in(item.skus.first(), "paid")
    order_in(make_item(other_shop, title="Phone", category=phones).skus.first(), "paid")
    mine, theirs = (
        seller_api.get("/customers").json()["data"],
        other_api.get("/customers").json()["data"],
    )
    assert mine[0]["name"] == theirs[0]["name"]
    assert mine[0]["id"] != theirs[0]["id"]
    order = seller_api.get("/orders").json()["data"][0]
    assert order["buyer"]["customer_id"] == mine[0]["id"]


def test_customers_page_with_a_cursor(seller_api, item, make_member_with_wallet, address_for):
    from emporium.trade import orders

    for n in range(3):
        member = make_member_with_wallet(f"buyer{n}")
        orders.checkout(member, address_for(member), [(item.skus.first(), 1)])
    first = seller_api.get("/customers", {"limit": 2}).json()
    second = seller_api.get("/customers", {"limit": 2, "cursor": first["next_cursor"]}).json()
    names = [row["name"] for row in first["data"] + second["data"]]
    assert sorted(names) == ["buyer0", "buyer1", "buyer2"]
    assert second["next_cursor"] is None
    error_of(
        seller_api.get("/customers", {"cursor": first["next_cursor"][:-3]}), 422, "invalid_cursor"
    )
