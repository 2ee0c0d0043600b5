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


# --- balance transactions and the balance -----------------------------------------------------


def _app_charge(shop, developer, amount: str):
    from emporium.finance import ledger
    from emporium.finance.ledger import Leg
    from emporium.finance.models import Posting

    amount_ = Decimal(amount)
    return ledger.post(
        Posting.Reason.APP_CHARGE,
        "app-invoice:1",
        [
            Leg(ledger.seller_balance(shop.owner), -amount_),
            Leg(ledger.developer_payable(developer), amount_),
        ],
        memo="Shop Helper: May",
    )


def test_balance_transactions_list_each_movement_with_the_balance_after_it(
    seller_api, item, order_in, shop, seller, developer
):
    from emporium.finance.wallets import withdraw

    first = order_in(item.skus.first(), "settled")
    order_in(item.skus.first(), "settled")
    _app_charge(shop, developer, "30.00")
    withdraw(seller, "100.00", "6222 0000 1111")
    rows = seller_api.get("/finance/balance-transactions").json()["data"]
    assert [(r["type"], r["amount"]["amount"], r["balance_after"]["amount"]) for r in rows] == [
        ("settlement", "189.05", "189.05"),
        ("settlement", "189.05", "378.10"),
        ("app_charge", "-30.00", "348.10"),
        ("withdrawal", "-100.00", "248.10"),
    ]
    assert (rows[0]["order_number"], rows[0]["gross"]["amount"]) == (first.number, "199.00")
    assert rows[0]["commission"]["amount"] == "9.95"
    assert rows[2]["description"] == "Shop Helper: May"
    balance = seller_api.get("/finance/balance").json()
    assert balance["available"]["amount"] == rows[-1]["balance_after"]["amount"]
    assert balance["last_transaction_id"] == rows[-1]["id"]


def test_balance_transactions_page_by_cursor_and_filter_by_type(seller_api, item, order_in, seller):
    from emporium.finance.wallets import withdraw

    for _ in range(3):
        order_in(item.skus.first(), "settled")
    withdraw(seller, "10.00", "6222")
    seen, cursor = [], None
    while True:
        page = seller_api.get(
            "/finance/balance-transactions", {"limit": 1, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 4
    only = seller_api.get("/finance/balance-transactions", {"type": "withdrawal"}).json()["data"]
    assert [r["id"] for r in only] == seen[-1:]
    future = {"since": "2999-01-01T00:00:00Z"}
    assert seller_api.get("/finance/balance-transactions", future).json()["data"] == []


def _returned(order, buyer, amount: str):
    """A return inside the window of a received (settled) order, agreed by the seller."""
    from emporium.trade import orders, refunds

    orders.confirm_receipt(order)  # settled at once; the fee is held while the window is open
    order.refresh_from_db()
    refunds.agree(refunds.request_refund(order, buyer, Decimal(amount), "wrong size"))


def test_a_return_after_settlement_says_what_the_buyer_got_and_the_fee_given_back(
    seller_api, app, shop, item, order_in, funded_buyer
):
    """199.00 settled (9.95 fee held), 100.00 returned: the fee on the 99.00 kept is 4.95, so
    5.00 of the fee comes back and the balance pays 95.00 — as the ledger's legs say."""
    from emporium.ecosystem.installations import installed
    from emporium.events.models import Event

    installed(app, shop, ["finance:read"])
    _returned(order_in(item.skus.first(), "shipped"), funded_buyer, "100.00")
    settled, returned = seller_api.get("/finance/balance-transactions").json()["data"]
    assert (settled["type"], settled["gross"]["amount"], settled["commission"]["amount"]) == (
        "settlement", "199.00", "9.95",
    )  # fmt: skip
    assert returned["type"] == "refund"
    assert (returned["amount"]["amount"], returned["gross"]["amount"]) == ("-95.00", "100.00")
    assert returned["commission"]["amount"] == "5.00"
    assert returned["order_number"] == settled["order_number"]
    # the platform keeps the fee on what the seller kept: 9.95 - 5.00
    (fee,) = seller_api.get("/finance/fees").json()["data"]
    assert fee["amount"]["amount"] == "4.95"
    pushed = Event.objects.filter(shop=shop, topic="balance.transaction_created").last()
    moved = pushed.data["balance_transaction"]
    assert {k: moved[k] for k in ("id", "gross", "commission")} == {
        k: returned[k] for k in ("id", "gross", "commission")
    }


def test_a_return_that_gives_no_fee_back_says_zero_and_other_movements_say_nothing(
    seller_api, developer, shop, seller, item, order_in, funded_buyer
):
    from emporium.finance.wallets import withdraw
    from emporium.fixtures import past_return_window

    # 0.01 back of 199.00: the fee on 198.99 rounds to 9.95 again, nothing given back.
    order = order_in(item.skus.first(), "shipped")
    _returned(order, funded_buyer, "0.01")
    past_return_window(order)  # so the balance can be withdrawn
    _app_charge(shop, developer, "30.00")
    withdraw(seller, "100.00", "6222 0000 1111")
    rows = seller_api.get("/finance/balance-transactions").json()["data"]
    by_type = {r["type"]: r for r in rows}
    refund = by_type["refund"]
    assert (refund["amount"]["amount"], refund["gross"]["amount"]) == ("-0.01", "0.01")
    assert refund["commission"]["amount"] == "0.00"
    for kind in ("app_charge", "withdrawal"):
        assert (by_type[kind]["gross"], by_type[kind]["commission"]) == (None, None)


def test_a_bad_type_or_cursor_is_refused_with_the_field_named(seller_api):
    from emporium.api.tests.conftest import error_of

    bad = error_of(
        seller_api.get("/finance/balance-transactions", {"type": "gift"}), 422, "validation_error"
    )
    assert bad["field"] == "type"
    other = seller_api.get("/finance/balance-transactions", {"cursor": "zzz"})
    error_of(other, 422, "invalid_cursor")


def test_escrow_holds_what_buyers_paid_and_was_not_yet_settled(
    seller_api, other_api, item, order_in
):
    order_in(item.skus.first(), "paid")
    order_in(item.skus.first(), "settled")
    body = seller_api.get("/finance/balance").json()
    assert (body["escrow"]["amount"], body["available"]["amount"]) == ("199.00", "189.05")
    assert other_api.get("/finance/balance").json()["escrow"]["amount"] == "0.00"
    assert other_api.get("/finance/balance-transactions").json()["data"] == []


def test_installed_apps_hear_of_each_movement_and_of_withdrawals(app, shop, seller, item, order_in):
    from emporium.ecosystem.installations import installed
    from emporium.events.models import Event
    from emporium.finance.wallets import withdraw

    installed(app, shop, ["finance:read"])
    order_in(item.skus.first(), "settled")
    withdraw(seller, "50.00", "6222")
    names = list(
        Event.objects.filter(shop=shop, topic__startswith="balance.").values_list(
            "topic", flat=True
        )
    )
    assert sorted(names) == sorted(
        ["balance.transaction_created"] * 2 + ["balance.withdrawal_created"]
    )
    withdrawal = Event.objects.get(shop=shop, topic="balance.withdrawal_created")
    moved = withdrawal.data["balance_transaction"]
    assert (moved["type"], moved["amount"]["amount"], moved["balance_after"]["amount"]) == (
        "withdrawal", "-50.00", "139.05",
    )  # fmt: skip


def test_the_migration_fills_each_old_entry_with_its_running_balance(item, order_in, seller):
    import importlib

    from django.apps import apps as django_apps

    from emporium.finance.models import Entry
    from emporium.finance.wallets import withdraw

    order_in(item.skus.first(), "settled")
    withdraw(seller, "9.05", "6222")
    expected = dict(Entry.objects.values_list("pk", "balance_after"))
    Entry.objects.update(balance_after=None)
    migration = importlib.import_module("emporium.finance.migrations.0005_entry_balance_after")
    migration.fill_balances(django_apps, None)
    assert dict(Entry.objects.values_list("pk", "balance_after")) == expected


def test_a_page_of_balance_transactions_costs_the_same_queries_however_long(
    seller_api, item, order_in
):
    for _ in range(6):
        order_in(item.skus.first(), "settled")
    seller_api.get("/finance/balance")  # the first call of an (app, shop) makes its rate bucket
    counts = []
    for limit in (2, 6):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            rows = seller_api.get("/finance/balance-transactions", {"limit": limit}).json()
        assert len(rows["data"]) == limit
        counts.append(len(captured))
    assert counts[0] == counts[1]
