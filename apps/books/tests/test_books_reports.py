"""Cost of goods booked with each sale, profit and loss by month, the balance sheet, and the
reconciliation pointing at the movements that make a difference."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from emporium_books import books, cogs, expenses, ingest, reports
from emporium_sdk.models import BalanceTransactionOut, Money, OrderLineOut, OrderOut
from test_books_rules import money, movement


def order(number: str, *lines: tuple[int, int, str], refunded: str = "0.00") -> OrderOut:
    total = sum((Decimal(t) for _s, _q, t in lines), Decimal("0.00"))
    return OrderOut.model_construct(
        id=f"id-{number}", number=number, status="paid", total_amount=Money(amount=str(total), currency="CNY"),
        refunded_amount=Money(amount=refunded, currency="CNY"),
        paid_at=datetime(2026, 5, 30, 10, 5, tzinfo=UTC),
        created_at=datetime(2026, 5, 30, 10, 0, tzinfo=UTC),
        lines=[OrderLineOut.model_construct(sku_id=sku, title="Linen dress", sku_label=f"S{sku}",
                                            quantity=qty, total=Money(amount=total, currency="CNY"))
               for sku, qty, total in lines],
    )  # fmt: skip


def settle(store, n: int, number: str, gross: str, commission: str, when: str) -> None:
    net = str(Decimal(gross) - Decimal(commission))
    row = movement(n, "settlement", net, net, order_number=number, gross=money(gross),
                   commission=money(commission))  # fmt: skip
    books.record(
        store, "shop-1", row.model_copy(update={"created_at": datetime.fromisoformat(when)})
    )


def test_each_sale_books_its_cost_once_costs_are_known_and_the_margin_shows(store):
    cogs.keep_order(store, "shop-1", order("A1", (11, 2, "198.00"), (12, 1, "99.00")))
    settle(store, 1, "A1", "297.00", "14.85", "2026-05-31T12:00:00+00:00")
    assert cogs.post_cogs(store, "shop-1") == 0  # no cost yet: nothing guessed
    cogs.set_cost(store, "shop-1", 11, "40")
    assert cogs.post_cogs(store, "shop-1") == 0  # SKU 12 still has none
    cogs.set_cost(store, "shop-1", 12, "35.50")
    assert cogs.post_cogs(store, "shop-1") == 1
    assert cogs.post_cogs(store, "shop-1") == 0  # once
    balances = store.balances("shop-1")
    assert balances[cogs.COGS] == Decimal("115.50") == -balances[cogs.INVENTORY]
    [may] = reports.profit_and_loss(store, "shop-1").months
    assert may.sales == Decimal("297.00")
    assert may.gross_margin == Decimal("61.1")  # (297 - 115.50) / 297
    [dress, other] = cogs.skus(store, "shop-1")
    assert (dress.sold, dress.revenue, dress.cost) == (2, Decimal("198.00"), Decimal("40.00"))


def test_gross_margin_per_sku_counts_its_settled_sales_only(store):
    cogs.keep_order(store, "shop-1", order("A1", (11, 2, "198.00"), (12, 1, "99.00")))
    settle(store, 1, "A1", "297.00", "14.85", "2026-05-31T12:00:00+00:00")
    cogs.keep_order(store, "shop-1", order("A2", (11, 1, "99.00")))  # paid, not settled yet
    cogs.set_cost(store, "shop-1", 11, "40")
    by_sku = {s.sku_id: s for s in cogs.skus(store, "shop-1")}
    dress, other = by_sku[11], by_sku[12]
    assert (dress.sold, dress.settled, dress.settled_revenue) == (3, 2, Decimal("198.00"))
    assert (dress.cost_of_goods, dress.margin, dress.margin_pct) == (
        Decimal("80.00"), Decimal("118.00"), Decimal("59.6"))  # (198 − 2 × 40) / 198  # fmt: skip
    assert (other.cost_of_goods, other.margin, other.margin_pct) == (None, None, None)  # no cost
    cogs.set_cost(store, "shop-1", 12, "35.50")
    cogs.post_cogs(store, "shop-1")
    by_sku = {s.sku_id: s for s in cogs.skus(store, "shop-1")}
    assert by_sku[12].margin == Decimal("63.50") and by_sku[12].margin_pct == Decimal("64.1")
    # the SKUs' margins add up to the month's gross profit in the books
    [may] = reports.profit_and_loss(store, "shop-1").months
    assert sum(s.margin for s in by_sku.values()) == may.sales - may.lines[cogs.COGS]


def test_a_cost_is_a_positive_amount_in_fen(store):
    from emporium_books.money import BadInput

    for text in ("-3", "1.005", "abc"):
        with pytest.raises(BadInput):
            cogs.set_cost(store, "shop-1", 11, text)


def test_profit_and_loss_by_month_for_each_book_and_together(store):
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T15:30:00+00:00")  # 23:30 in China
    settle(store, 2, "A2", "100.00", "5.00", "2026-05-31T16:30:00+00:00")  # 1 June in China
    form = {"amount": "1500", "account": "Expenses:Personal:Rent",
            "pay_from": "Assets:Personal:Bank", "day": "2026-06-05"}  # fmt: skip
    expenses.record_expense(
        store, "shop-1", expenses.read_expense(store, "shop-1", form, date(2026, 6, 5))[0]
    )
    both = reports.profit_and_loss(store, "shop-1")
    assert [m.month for m in both.months] == ["2026-05", "2026-06"]
    may, june = both.months
    assert (may.income, may.expenses, may.profit) == (
        Decimal("199.00"),
        Decimal("9.95"),
        Decimal("189.05"),
    )
    assert june.profit == Decimal("95.00") - Decimal("1500.00")
    shop = reports.profit_and_loss(store, "shop-1", book="business")
    assert shop.months[1].profit == Decimal("95.00")
    home = reports.profit_and_loss(store, "shop-1", book="personal")
    assert [m.month for m in home.months] == ["2026-06"] and home.months[0].expenses == Decimal(
        "1500.00"
    )
    assert [m.month for m in reports.profit_and_loss(store, "shop-1", since="2026-06").months] == [
        "2026-06"
    ]
    assert [m.month for m in reports.profit_and_loss(store, "shop-1", until="2026-05").months] == [
        "2026-05"
    ]


def test_the_balance_sheet_balances_on_any_day(store):
    from emporium_books import escrow

    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))
    escrow.book(store, "shop-1")  # paid on 30 May: in escrow, owed to the buyer
    paid = reports.balance_sheet(store, "shop-1", day=date(2026, 5, 30))
    assert paid.assets == {books.ESCROW: Decimal("199.00")}
    assert paid.liabilities == {books.BUYER_PAYMENTS: Decimal("199.00")} and paid.earnings == 0
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T12:00:00+00:00")
    books.record(store, "shop-1", movement(2, "withdrawal", "-100.00", "89.05").model_copy(
        update={"created_at": datetime(2026, 6, 2, 8, tzinfo=UTC)}))  # fmt: skip
    may = reports.balance_sheet(store, "shop-1", day=date(2026, 5, 31))
    assert may.assets == {books.PLATFORM_BALANCE: Decimal("189.05"), books.ESCROW: Decimal("0.00")}
    assert may.total_assets == may.total_claims == may.earnings == Decimal("189.05")
    june = reports.balance_sheet(store, "shop-1", day=date(2026, 6, 30))
    assert june.assets[books.BANK] == Decimal("100.00") and june.total_assets == june.total_claims


def test_reconciliation_points_at_the_movements_that_make_the_difference(store):
    when = {"created_at": datetime(2026, 6, 1, 1, tzinfo=UTC)}
    platform = [
        movement(1, "settlement", "189.05", "189.05", order_number="A1", gross=money("199.00"),
                 commission=money("9.95")).model_copy(update=when),
        movement(2, "app_charge", "-30.00", "159.05").model_copy(update=when),
        movement(3, "withdrawal", "-100.00", "59.05").model_copy(update=when),
    ]  # fmt: skip
    books.record(store, "shop-1", platform[0])
    books.record(store, "shop-1", platform[2])
    # the seller typed a fee against the platform balance by mistake
    store.record("shop-1", source=None, day="2026-06-01", narration="typed by hand", book="business",
                 legs=[books.Leg(books.PLATFORM_BALANCE, Decimal("-5.00")),
                       books.Leg("Expenses:Business:Advertising", Decimal("5.00"))])  # fmt: skip
    result = reports.reconcile(store, "shop-1", platform, day=date(2026, 6, 1))
    assert (result.books, result.platform) == (Decimal("84.05"), Decimal("59.05"))
    assert result.difference == Decimal("25.00")  # −30 missing, +5 typed by hand
    assert [m.id for m in result.missing] == ["btx_2"]
    assert result.unexplained == [("2026-06-01", "typed by hand", Decimal("-5.00"))]
    # before the day of the movements both sides were nothing
    earlier = reports.reconcile(store, "shop-1", platform, day=date(2026, 5, 31))
    assert (earlier.books, earlier.platform, earlier.missing) == (
        Decimal("0.00"),
        Decimal("0.00"),
        [],
    )


def test_sums_in_fen_stay_exact_over_many_small_amounts(store):
    for n in range(300):
        store.record("shop-1", source=f"s{n}", day="2026-06-01", narration="coffee", book="personal",
                     legs=[books.Leg("Expenses:Personal:Food", Decimal("0.10")),
                           books.Leg("Assets:Personal:Cash", Decimal("-0.10"))])  # fmt: skip
    [june] = reports.profit_and_loss(store, "shop-1").months
    assert june.expenses == Decimal("30.00")


def test_spending_by_category_this_month_against_the_last(store):
    def spend(day: str, account: str, amount: str) -> None:
        form = {
            "amount": amount,
            "account": account,
            "pay_from": "Assets:Personal:Alipay",
            "day": day,
        }
        expenses.record_expense(
            store, "shop-1", expenses.read_expense(store, "shop-1", form, date(2026, 6, 30))[0]
        )

    spend("2026-05-03", "Expenses:Personal:Food", "300.00")
    spend("2026-05-09", "Expenses:Personal:Phone", "50.00")
    spend("2026-06-02", "Expenses:Personal:Food", "420.50")
    spend("2026-06-05", "Expenses:Business:Shipping", "88.00")
    spent = reports.spending(reports.profit_and_loss(store, "shop-1"))
    assert (spent.month, spent.previous) == ("2026-06", "2026-05")
    assert spent.rows == [
        ("Expenses:Personal:Food", Decimal("420.50"), Decimal("300.00")),  # the biggest first
        ("Expenses:Business:Shipping", Decimal("88.00"), Decimal("0.00")),
        ("Expenses:Personal:Phone", Decimal("0.00"), Decimal("50.00")),  # stopped: still shown
    ]
    assert spent.total == Decimal("508.50")
    may = reports.spending(reports.profit_and_loss(store, "shop-1"), "2026-05")
    assert (may.month, may.previous, may.total) == ("2026-05", "2026-04", Decimal("350.00"))
    assert reports.spending(reports.profit_and_loss(store, "shop-2")) is None


def test_a_windowed_reconciliation_says_when_the_difference_is_older_than_its_window(store):
    def at(row, day: int):
        return row.model_copy(update={"created_at": datetime(2026, 6, day, 1, tzinfo=UTC)})

    platform = [
        at(movement(1, "app_charge", "-30.00", "-30.00"), 1),  # never booked by the app
        at(movement(2, "settlement", "189.05", "159.05", order_number="A1", gross=money("199.00"),
                    commission=money("9.95")), 20),
        at(movement(3, "withdrawal", "-100.00", "59.05"), 25),
    ]  # fmt: skip
    books.record(store, "shop-1", platform[1])
    window = [m for m in platform if m.created_at.day >= 15]  # what the API returns from 15 June
    recent = reports.reconcile(
        store, "shop-1", window, day=date(2026, 6, 30), since=date(2026, 6, 15)
    )
    assert (recent.books, recent.platform, recent.difference) == (
        Decimal("189.05"), Decimal("59.05"), Decimal("130.00"))  # fmt: skip
    assert [m.id for m in recent.missing] == ["btx_3"]  # in the window
    assert recent.older == Decimal("30.00")  # the app charge of 1 June, before the window
    whole = reports.reconcile(store, "shop-1", platform, day=date(2026, 6, 30))
    assert [m.id for m in whole.missing] == ["btx_1", "btx_3"] and whole.older == 0


def test_the_kept_statement_keeps_each_movement_once_in_order_and_opens_a_window(store):
    """The reconciliation reads the platform's statement from the app's copy; what is read again
    (a page after its cursor, a catch-up overlapping a reconciliation) is kept once."""

    def at(row, day: int):
        return row.model_copy(update={"created_at": datetime(2026, 6, day, 1, tzinfo=UTC)})

    rows = [at(movement(1, "app_charge", "-30.00", "-30.00"), 1),
            at(movement(2, "withdrawal", "-10.00", "-40.00"), 10),
            at(movement(3, "withdrawal", "-10.00", "-50.00"), 20)]  # fmt: skip
    ingest.keep(store, "shop-1", rows[:2], "after-2")
    ingest.keep(store, "shop-1", rows[1:], None)  # a page read again, and one more movement
    assert store.shop("shop-1").statement_cursor == "after-2"  # a last page moves no cursor
    kept = [BalanceTransactionOut.model_validate_json(b) for b in store.statement(
        "shop-1", None, "2026-06-30")]  # fmt: skip
    assert kept == rows
    window = [
        BalanceTransactionOut.model_validate_json(b)
        for b in store.statement("shop-1", "2026-06-15", "2026-06-30")
    ]
    assert [m.id for m in window] == ["btx_2", "btx_3"]  # led by the last one before the window
    result = reports.reconcile(store, "shop-1", window, day=date(2026, 6, 30),
                               since=date(2026, 6, 15))  # fmt: skip
    assert result.platform == Decimal("-50.00") and [m.id for m in result.missing] == ["btx_3"]
    assert result.older == Decimal("40.00")  # the two before the window the app never booked
    store.forget("shop-1")
    assert store.statement("shop-1", None, "2026-06-30") == []


def test_cash_flow_by_month_what_came_in_and_went_out(store):
    settle(store, 1, "A1", "199.00", "9.95", "2026-06-01T04:00:00+00:00")  # +189.05 in
    books.record(store, "shop-1", movement(2, "withdrawal", "-100.00", "89.05").model_copy(
        update={"created_at": datetime(2026, 6, 2, 8, tzinfo=UTC)}))  # platform → bank: no flow  # fmt: skip
    form = {"amount": "32.80", "account": "Expenses:Personal:Food",
            "pay_from": "Assets:Personal:Alipay", "day": "2026-06-05"}  # fmt: skip
    expenses.record_expense(
        store, "shop-1", expenses.read_expense(store, "shop-1", form, date(2026, 6, 30))[0]
    )
    draw = {
        "amount": "50",
        "shop_account": "Assets:Business:Bank",
        "home_account": "Assets:Personal:Bank",
    }
    store.record_all("shop-1", [expenses.read_draw(store, "shop-1", draw, date(2026, 6, 6))[0]])
    [(month, both)] = reports.cash_flow(store, "shop-1")
    assert month == "2026-06"
    assert (both["income"], both["expenses"], both["owner"], both["net"]) == (
        Decimal("189.05"), Decimal("-32.80"), Decimal("0.00"), Decimal("156.25"))  # fmt: skip
    [(_m, shop)] = reports.cash_flow(store, "shop-1", book="business")
    assert (shop["income"], shop["owner"], shop["net"]) == (
        Decimal("189.05"),
        Decimal("-50.00"),
        Decimal("139.05"),
    )
    [(_m, home)] = reports.cash_flow(store, "shop-1", book="personal")
    assert (home["expenses"], home["owner"], home["net"]) == (
        Decimal("-32.80"),
        Decimal("50.00"),
        Decimal("17.20"),
    )


def test_costs_imported_from_a_gbk_csv_then_booked_with_the_sale(store):
    from pathlib import Path

    data = Path(__file__).parent / "data"
    cogs.keep_order(store, "shop-1", order("A1", (11, 2, "198.00"), (12, 1, "99.00")))
    settle(store, 1, "A1", "297.00", "14.85", "2026-05-31T12:00:00+00:00")
    bad = cogs.import_costs(store, "shop-1", (data / "sku_costs_bad.csv").read_bytes())
    assert bad == (0, [(3, "sku_unreadable", "abc"), (4, "amount_too_precise", "1.005")])
    assert cogs.skus(store, "shop-1")[0].cost is None  # nothing saved, not even row 2
    assert cogs.import_costs(store, "shop-1", (data / "sku_costs.gbk.csv").read_bytes()) == (2, [])
    assert cogs.post_cogs(store, "shop-1") == 1
    assert store.balances("shop-1")[cogs.COGS] == Decimal("115.50")
    assert cogs.import_costs(store, "shop-1", b"name,price\nx,1\n") == (
        0,
        [(1, "header_missing", "")],
    )


def test_escrow_holds_paid_orders_less_refunds_until_settlement(store):
    from emporium_books import escrow

    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))
    cogs.keep_order(store, "shop-1", order("A2", (12, 2, "300.00")))
    assert escrow.book(store, "shop-1") == 2
    assert store.balances("shop-1")[books.ESCROW] == Decimal("499.00")
    # A2 is partly refunded, then more: each time only the difference leaves escrow.
    cogs.keep_order(store, "shop-1", order("A2", (12, 2, "300.00"), refunded="50.00"))
    assert escrow.book(store, "shop-1") == 1
    cogs.keep_order(store, "shop-1", order("A2", (12, 2, "300.00"), refunded="80.00"))
    assert escrow.book(store, "shop-1") == 1
    assert escrow.book(store, "shop-1") == 0  # nothing twice
    assert store.balances("shop-1")[books.ESCROW] == Decimal("419.00")
    settle(store, 1, "A1", "199.00", "9.95", "2026-06-01T12:00:00+00:00")
    settle(store, 2, "A2", "220.00", "11.00", "2026-06-01T12:00:00+00:00")
    balances = store.balances("shop-1")
    assert balances[books.ESCROW] == 0 == balances[books.BUYER_PAYMENTS]
    assert balances[books.SALES] == Decimal("-419.00")


def settled(number: str, *lines: tuple[int, int, str], refunded: str) -> OrderOut:
    return order(number, *lines, refunded=refunded).model_copy(update={"status": "settled"})


def test_a_return_after_settlement_comes_from_the_balance_not_from_escrow(store):
    """The platform takes a return inside the window from the seller's balance: escrow, which
    the settlement emptied, must not pay it again (first seen by a backfill, after it all)."""
    from emporium_books import escrow

    # Backfill: the order is already settled with 20.00 refunded before and 30.00 after.
    cogs.keep_order(store, "shop-1", settled("A3", (12, 1, "300.00"), refunded="50.00"))
    assert escrow.book(store, "shop-1") == 1  # the payment; the refund waits for its settlement
    settle(store, 1, "A3", "280.00", "14.00", "2026-06-01T12:00:00+00:00")
    books.record(store, "shop-1", movement(2, "refund", "-28.50", "237.50", order_number="A3"))
    assert escrow.book(store, "shop-1") == 1  # 300 − 280 released: 20.00 left escrow
    assert escrow.book(store, "shop-1") == 0
    balances = store.balances("shop-1")
    assert balances[books.ESCROW] == 0 == balances[books.BUYER_PAYMENTS]
    assert balances[books.PLATFORM_BALANCE] == Decimal("237.50")

    # Followed live: refunded before (escrow), settled, returned after: the same books.
    cogs.keep_order(store, "shop-1", order("A4", (12, 1, "300.00"), refunded="20.00"))
    escrow.book(store, "shop-1")
    settle(store, 3, "A4", "280.00", "14.00", "2026-06-02T12:00:00+00:00")
    cogs.keep_order(store, "shop-1", settled("A4", (12, 1, "300.00"), refunded="50.00"))
    assert escrow.book(store, "shop-1") == 0
    assert store.balances("shop-1")[books.ESCROW] == 0


def test_an_order_refunded_whole_before_settlement_leaves_escrow_without_a_settlement(store):
    from emporium_books import escrow

    cogs.keep_order(store, "shop-1", settled("A5", (12, 1, "99.00"), refunded="99.00"))
    assert escrow.book(store, "shop-1") == 2  # nothing was left to settle: no movement comes
    assert store.balances("shop-1")[books.ESCROW] == 0


class OpenOrders:
    """`client.orders` of a shop whose open orders are `shown` (by status) and `gone` (settled
    since): it counts the calls."""

    def __init__(self, shown: list[OrderOut], gone: list[OrderOut]) -> None:
        self.shown, self.gone, self.calls = shown, {o.id: o for o in gone}, []

    def list(self, *, limit: int, status: str) -> list[OrderOut]:
        self.calls.append(f"list {status}")
        return [o for o in self.shown if o.status == status]

    def get(self, order_id: str) -> OrderOut:
        self.calls.append(f"get {order_id}")
        return self.gone[order_id]


def test_open_orders_are_read_again_by_listing_them_and_only_those_gone_one_by_one(store):
    """A catch-up read each open order by itself (812 calls at a busy shop's year, against the
    rate limit); now the lists of open orders, and one call only for an order they no longer
    show."""
    from types import SimpleNamespace

    from emporium_books import escrow

    for number in ("A1", "A2", "A3"):
        cogs.keep_order(store, "shop-1", order(number, (11, 1, "100.00")))
    refunded = order("A2", (11, 1, "100.00"), refunded="30.00")
    shipped = order("A3", (11, 1, "100.00")).model_copy(update={"status": "shipped"})
    orders = OpenOrders([refunded, shipped], [settled("A1", (11, 1, "100.00"), refunded="0.00")])
    assert escrow.refresh_open(SimpleNamespace(orders=orders), store, "shop-1") == 3
    assert orders.calls == ["list paid", "list shipped", "list completed", "get id-A1"]
    escrow.book(store, "shop-1")  # A2's refund leaves escrow; A1's settlement releases its own
    assert store.balances("shop-1")[books.ESCROW] == Decimal("270.00")
    with store.connect() as db:
        assert dict(db.execute("select number, status from order_state")) == {
            "A1": "settled", "A2": "paid", "A3": "shipped",
        }  # fmt: skip
