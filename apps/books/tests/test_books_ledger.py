"""The ledger's accounting: stock bought is inventory (costed once, when sold), a transaction
across the shop and the household balances in each book alone, and the seller's own paying
accounts with their opening balances."""

from datetime import date
from decimal import Decimal

import pytest
from emporium_books import chart, cogs, expenses, export, i18n, reports, rules, statements
from emporium_books.money import BadInput
from emporium_books.store import Store
from test_books_reports import order, settle
from test_books_rules import bean_check

ALIPAY_CSV = (
    "交易时间,交易对方,商品说明,收/支,金额,交易订单号\n"
    "2026-05-02 10:00:00,1688 义乌服饰,进货 连衣裙 10 件,支出,400.00,T1\n"
    "2026-05-03 11:00:00,顺丰速运,快递费,支出,23.00,T2\n"
    "2026-05-04 12:00:00,美团,外卖,支出,35.50,T3\n"
).encode()


def each_book_balances(store: Store, day: date) -> None:
    for book in ("business", "personal", "all"):
        sheet = reports.balance_sheet(store, "shop-1", day=day, book=book)
        assert sheet.total_assets == sheet.total_claims, (book, sheet)


def test_stock_bought_is_inventory_and_its_cost_is_an_expense_once_when_sold(store):
    statement = statements.preview(store, "shop-1", ALIPAY_CSV, "Assets:Business:Alipay")
    assert statement.rows[0].suggestion == "Assets:Business:Inventory"  # 1688 / 进货
    assert statements.commit(store, "shop-1", ALIPAY_CSV, "Assets:Business:Alipay", {}) == (3, [])
    form = {"amount": "100", "account": "Assets:Business:Inventory",
            "pay_from": "Assets:Business:Bank", "day": "2026-05-05", "memo": "进货"}  # fmt: skip
    expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 5, 5))
    assert errors == {}  # the expense form books stock bought to inventory too
    expenses.record_expense(store, "shop-1", expense)
    cogs.keep_order(store, "shop-1", order("A1", (11, 2, "198.00")))
    settle(store, 1, "A1", "198.00", "9.90", "2026-05-31T12:00:00+00:00")
    cogs.set_cost(store, "shop-1", 11, "40")
    assert cogs.post_cogs(store, "shop-1") == 1
    balances = store.balances("shop-1")
    assert balances[cogs.INVENTORY] == Decimal("420.00")  # 400 + 100 bought, 80 sold
    assert "Expenses:Business:Stock" not in balances
    [may] = reports.profit_and_loss(store, "shop-1", book="business").months
    # The goods count once, at their cost when sold: commission, shipping, cost of goods.
    assert may.expenses == Decimal("9.90") + Decimal("23.00") + Decimal("80.00")
    assert may.profit == Decimal("198.00") - may.expenses
    assert "Expenses:Business:Stock" not in dict(expenses.expense_accounts(store, "shop-1"))
    each_book_balances(store, date(2026, 5, 31))


def test_what_pointed_at_the_old_stock_expense_follows_it_to_inventory(tmp_path):
    path = tmp_path / "books.sqlite3"
    old = Store(path)
    old.save_shop("shop-1", "Mei's")
    old.open_accounts("shop-1", [("Expenses:Business:Stock", "business", "Expenses")])
    with old.connect() as db:
        db.execute("insert into import_rule (shop_id, pattern, account) values "
                   "('shop-1', '拼多多批发', 'Expenses:Business:Stock')")  # fmt: skip
        db.execute("insert into learned values ('shop-1', '义乌服饰', 'Expenses:Business:Stock')")
        db.execute("insert into recurring (shop_id, name, day_of_month, amount, account, "
                   "pay_from, start_month) values ('shop-1', '月度进货', 3, '500', "
                   "'Expenses:Business:Stock', 'Assets:Business:Bank', '2026-05')")  # fmt: skip
    reopened = Store(path)
    assert [r.account for r in rules.listed(reopened, "shop-1")] == ["Assets:Business:Inventory"]
    assert statements.learned(reopened, "shop-1") == {"义乌服饰": "Assets:Business:Inventory"}
    assert expenses.recurring(reopened, "shop-1")[0].account == "Assets:Business:Inventory"
    assert "Expenses:Business:Stock" not in rules.categories(reopened, "shop-1")


def test_each_book_balances_alone_after_expenses_imports_and_draws_across_books(store, tmp_path):
    # The household's Alipay pays for shop stock and shipping and for a household meal.
    assert statements.commit(store, "shop-1", ALIPAY_CSV, "Assets:Personal:Alipay", {}) == (3, [])
    typed = [("Expenses:Business:Packaging", "Assets:Personal:Cash", "12.00"),
             ("Expenses:Personal:Food", "Assets:Business:Alipay", "28.00"),
             ("Expenses:Personal:Rent", "Assets:Personal:Bank", "1500.00")]  # fmt: skip
    for account, pay_from, amount in typed:
        form = {"amount": amount, "account": account, "pay_from": pay_from, "day": "2026-05-06"}
        expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 5, 6))
        assert errors == {}
        expenses.record_expense(store, "shop-1", expense)
    draw, _ = expenses.read_draw(store, "shop-1", {"amount": "300", "shop_account":
                                 "Assets:Business:Bank", "home_account": "Assets:Personal:Bank"},
                                 date(2026, 5, 7))  # fmt: skip
    store.record_all("shop-1", [draw])
    each_book_balances(store, date(2026, 5, 31))
    balances = store.balances("shop-1")
    # The household put 400 + 23 + 12 into the shop and took 28 + 300 out of it.
    assert balances["Equity:Business:Draws"] == Decimal("300.00") + 28 - 435
    assert -balances["Equity:Personal:Draws"] == balances["Equity:Business:Draws"]
    # The household's cash flow shows the money it spent on the shop, as the owner's.
    [(month, figures)] = reports.cash_flow(store, "shop-1", book="personal")
    assert figures["owner"] == Decimal("-435.00") + 300
    bean_check(tmp_path, export.beancount(store, "shop-1", "Mei's"))


def test_the_expense_form_pays_from_an_account_of_the_categorys_own_book(store):
    assert expenses.default_pay_from(store, "shop-1") == "Assets:Business:Alipay"
    shipping = expenses.default_pay_from(store, "shop-1", "Expenses:Business:Shipping")
    assert shipping == "Assets:Business:Alipay"
    food = expenses.default_pay_from(store, "shop-1", "Expenses:Personal:Food")
    assert food == "Assets:Personal:Alipay"


def test_no_one_pays_from_what_the_platform_keeps_or_from_stock(store):
    paying = dict(expenses.paying_accounts(store, "shop-1"))
    assert "Assets:Business:Alipay" in paying and "Assets:Personal:Alipay" in paying
    kept = ["Assets:Business:Platform:Balance", "Assets:Business:Platform:Escrow",
            "Liabilities:Business:Buyer-Payments", "Assets:Business:Inventory"]  # fmt: skip
    assert not set(kept) & paying.keys()
    for account in kept:
        form = {"amount": "20", "account": "Expenses:Business:Shipping", "pay_from": account}
        expense, errors = expenses.read_expense(store, "shop-1", form, date(2026, 5, 1))
        assert expense is None and errors == {"pay_from": "account_unknown"}


def test_paying_accounts_and_their_opening_balances(store, tmp_path):
    wechat = chart.add_category(store, "shop-1", "WeChat Pay", "Assets", "personal")
    huabei = chart.add_category(store, "shop-1", "花呗", "Liabilities", "personal")
    assert wechat == "Assets:Personal:WeChat-Pay" and huabei.startswith("Liabilities:Personal:")
    assert {wechat, huabei} <= dict(expenses.paying_accounts(store, "shop-1")).keys()
    today = date(2026, 5, 1)
    chart.opening_balance(store, "shop-1", wechat, "820.50", "2026-04-30", today)
    chart.opening_balance(store, "shop-1", huabei, "300", "", today)
    chart.opening_balance(store, "shop-1", "Assets:Business:Bank", "5000", "", today)
    balances = store.balances("shop-1")
    assert balances[wechat] == Decimal("820.50") and balances[huabei] == Decimal("-300.00")
    assert balances["Equity:Personal:Opening-Balances"] == Decimal("-520.50")
    assert balances["Equity:Business:Opening-Balances"] == Decimal("-5000.00")
    each_book_balances(store, today)
    spent = {"amount": "20", "account": "Expenses:Personal:Food", "pay_from": wechat, "day": ""}
    expenses.record_expense(
        store, "shop-1", expenses.read_expense(store, "shop-1", spent, today)[0]
    )
    [(_month, flow)] = reports.cash_flow(store, "shop-1", book="personal")
    assert flow["expenses"] == Decimal("-20.00")  # her WeChat Pay is cash too
    refused = [
        (wechat, "100", "opening_exists"),  # once per account
        ("Expenses:Personal:Food", "100", "opening_account_error"),
        ("Assets:Business:Platform:Balance", "100", "opening_platform"),
        ("Assets:Personal:Bank", "-5", "amount_not_positive"),
        ("Assets:Personal:Bank", "abc", "amount_not_a_number"),
    ]
    for account, amount, code in refused:
        with pytest.raises(BadInput) as bad:
            chart.opening_balance(store, "shop-1", account, amount, "", today)
        assert bad.value.code == code
        assert i18n.table("en")[code] and i18n.table("zh-hans")[code]
    with pytest.raises(BadInput) as bad:
        chart.add_category(store, "shop-1", "Mortgage", "Equity", "personal")
    assert bad.value.code == "category_kind"
    bean_check(tmp_path, export.beancount(store, "shop-1", "Mei's"))


def test_a_paying_account_and_its_opening_balance_on_the_categories_page(tmp_path):
    from test_books_pages import app as make_app
    from test_books_pages import seller as make_seller

    app = make_app.__wrapped__(tmp_path)
    seller = make_seller.__wrapped__(app)
    store = app.state.books.store
    added = seller.post("/categories", data={"pass": seller.view_pass, "label": "WeChat Pay",
                                             "kind": "Assets", "book": "personal"})  # fmt: skip
    assert 'data-added="Assets:Personal:WeChat-Pay"' in added.text
    opened = seller.post("/categories", data={"pass": seller.view_pass, "lang": "zh-hans",
                                              "opening": "Assets:Personal:WeChat-Pay",
                                              "amount": "820.50", "day": "2026-05-01"})  # fmt: skip
    assert opened.status_code == 200 and 'data-opened="Assets:Personal:WeChat-Pay"' in opened.text
    again = seller.post("/categories", data={"pass": seller.view_pass, "lang": "zh-hans",
                                             "opening": "Assets:Personal:WeChat-Pay",
                                             "amount": "1"})  # fmt: skip
    assert again.status_code == 400 and "这个账户已经有期初余额。" in again.text
    assert store.balances("shop-1")["Assets:Personal:WeChat-Pay"] == Decimal("820.50")
    home = seller.get("/home", params={"pass": seller.view_pass}).text
    assert '<option value="Assets:Business:Alipay" selected>' in home  # a shop expense: shop pays
    food = seller.get("/home", params={"pass": seller.view_pass,
                                       "account": "Expenses:Personal:Food"}).text  # fmt: skip
    assert '<option value="Assets:Personal:Alipay" selected>' in food
