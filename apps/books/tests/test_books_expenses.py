"""A daily expense typed in seconds (amounts read strictly), and recurring expenses posted by
their job once per month, never twice."""

from datetime import date
from decimal import Decimal

import pytest
from emporium_books import chart, expenses, export, reports
from emporium_books.money import BadInput, parse_amount, parse_day
from emporium_books.store import Store
from test_books_rules import bean_check


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12", "12.00"), ("12.5", "12.50"), (" 1,299.00 ", "1299.00"), ("¥8.80", "8.80"),
     ("0.01", "0.01")],
)  # fmt: skip
def test_amounts_are_read_as_decimal_yuan(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "amount_missing"), ("abc", "amount_not_a_number"), ("1e3", "amount_not_a_number"),
     ("nan", "amount_not_a_number"), ("12.345", "amount_too_precise"),
     ("0.1000001", "amount_too_precise"), ("-5", "amount_not_positive"), ("0", "amount_not_positive"),
     ("1.2.3", "amount_not_a_number"), ("12,34", "amount_not_a_number")],
)  # fmt: skip
def test_a_float_text_or_too_many_decimals_is_refused(text, code):
    with pytest.raises(BadInput) as refused:
        parse_amount(text)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "text",
    ["2026-06-01", "2026/06/01", "2026.06.01", "20260601", "2026年6月1日", "2026-06-01 09:12:03"],
)
def test_dates_as_banks_and_alipay_write_them(text):
    assert parse_day(text) == date(2026, 6, 1)


def test_an_ambiguous_date_is_refused():
    with pytest.raises(BadInput):
        parse_day("06/01/2026")


def test_an_expense_is_one_balanced_transaction_in_its_accounts_book(store):
    form = {"amount": "32.80", "account": "Expenses:Personal:Food",
            "pay_from": "Assets:Personal:Alipay", "day": "", "memo": "午饭"}  # fmt: skip
    expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 6, 5))
    assert errors == {} and expense.day == date(2026, 6, 5)  # today when left empty
    expenses.record_expense(store, "shop-1", expense)
    [txn] = store.transactions("shop-1")
    assert (txn.book, txn.narration, txn.day) == ("personal", "午饭", "2026-06-05")
    assert store.balances("shop-1")["Assets:Personal:Alipay"] == Decimal("-32.80")


def test_every_wrong_field_is_reported_at_once(store):
    form = {"amount": "3.14159", "account": "Expenses:Nope", "pay_from": "Income:Business:Sales",
            "day": "yesterday"}  # fmt: skip
    expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 6, 5))
    assert expense is None
    assert errors == {"amount": "amount_too_precise", "account": "account_unknown",
                      "pay_from": "account_unknown", "day": "date_unreadable"}  # fmt: skip


def rent(store, day_of_month: str = "5", today=date(2026, 4, 10)) -> int:
    spec, errors = expenses.read_recurring(
        store, "shop-1",
        {"name": "房租", "day_of_month": day_of_month, "amount": "1500",
         "account": "Expenses:Personal:Rent", "pay_from": "Assets:Personal:Bank"}, today,
    )  # fmt: skip
    assert errors == {}
    return expenses.add_recurring(store, "shop-1", spec)


def test_recurring_rent_is_posted_once_per_month_however_often_the_job_runs(store):
    rent(store)  # from April; due on the 5th
    assert expenses.post_due(store, "shop-1", date(2026, 4, 10)) == 1
    assert expenses.post_due(store, "shop-1", date(2026, 4, 30)) == 0
    assert expenses.post_due(store, "shop-1", date(2026, 5, 4)) == 0  # not due yet
    # the job did not run for a while: May and June are both posted, each once
    assert expenses.post_due(store, "shop-1", date(2026, 6, 7)) == 2
    assert expenses.post_due_everywhere(store, date(2026, 6, 7)) == 0
    days = [txn.day for txn in store.transactions("shop-1")]
    assert days == ["2026-04-05", "2026-05-05", "2026-06-05"]
    assert store.balances("shop-1")["Expenses:Personal:Rent"] == Decimal("4500.00")


def test_a_stopped_recurring_expense_posts_nothing_more(store):
    entry = rent(store)
    expenses.post_due(store, "shop-1", date(2026, 4, 10))
    expenses.stop_recurring(store, "shop-1", entry)
    assert expenses.post_due(store, "shop-1", date(2026, 9, 10)) == 0


def test_two_processes_running_the_job_together_post_once(store, tmp_path):
    rent(store)
    other = Store(tmp_path / "books.sqlite3")  # another process on the same file
    assert (
        expenses.post_due(store, "shop-1", date(2026, 4, 10))
        + expenses.post_due(other, "shop-1", date(2026, 4, 10))
        == 1
    )


@pytest.mark.parametrize(("day", "ok"), [("0", False), ("29", False), ("x", False), ("28", True)])
def test_a_recurring_day_is_one_every_month_has(store, day, ok):
    spec, errors = expenses.read_recurring(
        store, "shop-1", {"name": "Phone", "day_of_month": day, "amount": "50",
                          "account": "Expenses:Personal:Phone", "pay_from": "Assets:Personal:Bank"},
        date(2026, 6, 1),
    )  # fmt: skip
    assert (spec is not None) is ok and ("day_of_month" in errors) is not ok


def test_the_owners_draw_moves_money_between_the_books_and_each_book_balances(store):
    from emporium_books import reports

    form = {"amount": "1000", "shop_account": "Assets:Business:Bank",
            "home_account": "Assets:Personal:Bank", "memo": "June draw"}  # fmt: skip
    draft, errors = expenses.read_draw(store, "shop-1", form, date(2026, 6, 30))
    assert errors == {}
    store.record_all("shop-1", [draft])
    balances = store.balances("shop-1")
    assert balances["Assets:Business:Bank"] == Decimal("-1000.00")
    assert balances["Assets:Personal:Bank"] == Decimal("1000.00")
    for book in ("Business", "Personal"):
        assert sum(v for k, v in balances.items() if f":{book}:" in k) == 0
    assert reports.profit_and_loss(store, "shop-1").months == []  # not income, not an expense
    for book in ("business", "personal"):
        sheet = reports.balance_sheet(store, "shop-1", day=date(2026, 6, 30), book=book)
        assert sheet.total_assets == sheet.total_claims
    back = expenses.read_draw(store, "shop-1", {**form, "back": "1"}, date(2026, 6, 30))[0]
    store.record_all("shop-1", [back])
    assert store.balances("shop-1")["Assets:Personal:Bank"] == Decimal("0.00")


def test_a_draw_needs_a_shop_account_on_one_side_and_a_household_one_on_the_other(store):
    form = {"amount": "1.005", "shop_account": "Assets:Personal:Bank",
            "home_account": "Assets:Business:Bank"}  # fmt: skip
    draft, errors = expenses.read_draw(store, "shop-1", form, date(2026, 6, 30))
    assert draft is None
    assert errors == {"draw_amount": "amount_too_precise", "shop_account": "account_unknown",
                      "home_account": "account_unknown"}  # fmt: skip


def test_spending_marked_accidental_is_reported_apart_from_the_necessary(store):
    for amount, account, accidental in [("1500", "Expenses:Personal:Rent", ""),
                                        ("32.80", "Expenses:Personal:Food", ""),
                                        ("199", "Expenses:Personal:Shopping", "1"),
                                        ("45.50", "Expenses:Personal:Food", "1")]:  # fmt: skip
        form = {"amount": amount, "account": account, "pay_from": "Assets:Personal:Alipay",
                "day": "2026-06-10", "accidental": accidental}  # fmt: skip
        expenses.record_expense(
            store, "shop-1", expenses.read_expense(store, "shop-1", form, date(2026, 6, 30))[0]
        )
    needed, accidental = reports.necessary_and_accidental(store, "shop-1", "2026-06")
    assert (needed, accidental) == (Decimal("1532.80"), Decimal("244.50"))
    assert reports.necessary_and_accidental(store, "shop-1", "2026-06", book="business") == (0, 0)


def test_budgets_are_saved_all_or_none_and_an_empty_field_clears_one(store):
    ok = {"budget_Expenses:Personal:Food": "1500", "budget_Expenses:Personal:Phone": "80.00"}
    assert expenses.save_budgets(store, "shop-1", ok) == {}
    wrong = {"budget_Expenses:Personal:Food": "1200", "budget_Expenses:Personal:Rent": "1e4"}
    assert expenses.save_budgets(store, "shop-1", wrong) == {
        "Expenses:Personal:Rent": "amount_not_a_number"
    }
    assert expenses.budgets(store, "shop-1") == {"Expenses:Personal:Food": Decimal("1500.00"),
                                                  "Expenses:Personal:Phone": Decimal("80.00")}  # fmt: skip
    expenses.save_budgets(
        store, "shop-1", {"budget_Expenses:Personal:Phone": "", "budget_Income:X": "5"}
    )
    assert expenses.budgets(store, "shop-1") == {"Expenses:Personal:Food": Decimal("1500.00")}


def test_a_category_the_seller_adds_is_validated_then_takes_expenses(store, tmp_path):
    assert chart.add_category(store, "shop-1", "快递费", "Expenses", "business") == (
        "Expenses:Business:Own-1"
    )
    assert chart.add_category(
        store, "shop-1", " flowers for the stall ", "Expenses", "business"
    ) == ("Expenses:Business:Flowers-For-The-Stall")
    assert store.labels("shop-1")["Expenses:Business:Own-1"] == "快递费"
    for label, kind, book, code in [("", "Expenses", "business", "category_empty"),
                                    ("   ", "Expenses", "business", "category_empty"),
                                    ("x" * 41, "Expenses", "business", "category_too_long"),
                                    ("快递费", "Expenses", "business", "category_exists"),
                                    ("FLOWERS for the stall", "Expenses", "business", "category_exists"),
                                    ("Shipping", "Expenses", "business", "category_exists"),
                                    ("餐饮", "Expenses", "personal", "category_exists"),
                                    ("a\x00b", "Expenses", "business", "category_unreadable"),
                                    ("Tips", "Equity", "business", "category_kind"),
                                    ("Tips", "Expenses", "shop", "category_book")]:  # fmt: skip
        with pytest.raises(BadInput) as refused:
            chart.add_category(store, "shop-1", label, kind, book)
        assert refused.value.code == code, label
    # the same name in the other book, or as income, is another category
    assert chart.add_category(store, "shop-1", "快递费", "Expenses", "personal").startswith(
        "Expenses:Personal:"
    )
    assert (
        chart.add_category(store, "shop-1", "Tips", "Income", "business") == "Income:Business:Tips"
    )
    form = {"amount": "12", "account": "Expenses:Business:Own-1", "pay_from": "Assets:Business:Bank",
            "day": "2026-06-10"}  # fmt: skip
    expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 6, 30))
    assert errors == {}
    expenses.record_expense(store, "shop-1", expense)
    assert reports.journal(store, "shop-1", account="Expenses:Business:Own-1")[0][4] == Decimal(
        "12.00"
    )
    chart.add_category(store, "shop-1", "2nd-hand stock", "Expenses", "business")
    bean_check(tmp_path, export.beancount(store, "shop-1", "Mei's"))  # her names pass bean-check
