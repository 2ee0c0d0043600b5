"""The app's pages as a seller uses them (the view pass names the shop): an expense typed and
saved, its errors shown beside the field, a statement previewed then booked, costs, reports,
the journal behind a figure, the CSV of the report; English and Chinese."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from emporium_books import books, cogs, reports, sheets
from emporium_books.config import Config
from emporium_books.web import PURPOSE, build
from emporium_sdk.viewpass import issue_pass
from starlette.testclient import TestClient
from test_books_reports import order, settle
from test_books_rules import money, movement

DATA = Path(__file__).parent / "data"


@pytest.fixture
def app(tmp_path):
    web = build(Config(platform_url="http://127.0.0.1:9", public_url="http://127.0.0.1:9501",
                       client_id="books", client_secret="s3cret", data_dir=tmp_path / "books"))  # fmt: skip
    state = web.state.books
    state.store.save_shop("shop-1", "Mei's")
    state.store.open_accounts("shop-1", books.CHART)
    state.store.set_progress("shop-1", None, 0, True)
    return web


@pytest.fixture
def seller(app) -> TestClient:
    client = TestClient(app)
    client.view_pass = issue_pass("shop-1", "s3cret", purpose=PURPOSE)
    return client


def test_a_page_without_a_genuine_pass_is_refused(seller):
    assert seller.get("/home", params={"pass": "forged"}).status_code == 401
    assert seller.post("/expenses", data={"pass": "forged", "amount": "1"}).status_code == 401
    assert seller.get("/app").status_code == 401  # no session token from the seller center


def test_an_expense_is_saved_and_the_form_is_ready_for_the_next(seller, app):
    page = seller.get("/home", params={"pass": seller.view_pass})
    assert re.search(r'<input id="amount"[^>]*autofocus', page.text)  # typing starts at once
    saved = seller.post("/expenses", follow_redirects=False, data={
        "pass": seller.view_pass, "amount": "32.80", "account": "Expenses:Personal:Food",
        "pay_from": "Assets:Personal:Alipay", "day": "2026-06-05", "memo": "午饭"})  # fmt: skip
    assert saved.status_code == 303 and "#amount" in saved.headers["location"]
    after = seller.get(saved.headers["location"].split("#")[0].replace("home", "/home"))
    assert "Saved" in after.text and "午饭" in after.text
    # the same category and account stay chosen for the next expense
    assert '<option value="Expenses:Personal:Food" selected>' in after.text
    assert app.state.books.store.balances("shop-1")["Expenses:Personal:Food"] == Decimal("32.80")


def test_a_wrong_amount_is_shown_beside_the_field_and_nothing_is_saved(seller, app):
    wrong = seller.post("/expenses", data={
        "pass": seller.view_pass, "amount": "12.345", "account": "Expenses:Personal:Food",
        "pay_from": "Assets:Personal:Alipay", "lang": "zh-hans"})  # fmt: skip
    assert wrong.status_code == 400
    assert "最多两位小数（分）。" in wrong.text and 'aria-invalid="true"' in wrong.text
    assert 'value="12.345"' in wrong.text  # what was typed stays, to correct it
    assert app.state.books.store.transactions("shop-1") == []


def test_a_gbk_statement_is_previewed_then_booked_with_a_chosen_category(seller, app):
    file = (DATA / "alipay_2026-06.gbk.csv").read_bytes()
    preview = seller.post("/import", data={"pass": seller.view_pass, "account": "Assets:Personal:Alipay"},
                          files={"statement": ("支付宝.csv", file, "text/csv")})  # fmt: skip
    assert preview.status_code == 200 and ">GBK<" in preview.text and "顺丰速运" in preview.text
    assert app.state.books.store.transactions("shop-1") == []  # a preview writes nothing
    upload = re.search(r'name="upload" value="(\d+)"', preview.text).group(1)
    missing = seller.post("/import", data={"pass": seller.view_pass, "upload": upload,
                                           "row_6": "Expenses:Business:Shipping"})  # fmt: skip
    assert missing.status_code == 400 and "Row 9: No rule matches" in missing.text
    assert app.state.books.store.transactions("shop-1") == []
    done = seller.post("/import", data={"pass": seller.view_pass, "upload": upload,
                                        "row_9": "Income:Personal:Other"})  # fmt: skip
    assert '<span data-figure="booked">5</span>' in done.text
    again = seller.post("/import", data={"pass": seller.view_pass, "account": "Assets:Personal:Alipay"},
                        files={"statement": ("支付宝.csv", file, "text/csv")})  # fmt: skip
    assert again.text.count("already imported") == 5


def test_a_statement_in_an_unknown_encoding_is_refused_with_a_reason(seller):
    file = (DATA / "alipay_utf16.csv").read_bytes()
    refused = seller.post("/import", data={"pass": seller.view_pass, "account": "Assets:Personal:Alipay",
                                           "lang": "zh-hans"}, files={"statement": ("a.csv", file)})  # fmt: skip
    assert refused.status_code == 400 and "既不是 UTF-8 也不是 GBK" in refused.text


def test_costs_then_reports_with_the_chart_drill_down_and_csv(seller, app):
    store = app.state.books.store
    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T12:00:00+00:00")
    costs = seller.get("/costs", params={"pass": seller.view_pass})
    assert 'name="sku_11"' in costs.text
    bad = seller.post("/costs", data={"pass": seller.view_pass, "sku_11": "1e2"})
    assert bad.status_code == 400 and "must be a number" in bad.text
    saved = seller.post("/costs", data={"pass": seller.view_pass, "sku_11": "60.00",
                                        "month": "2026-05"}).text  # fmt: skip
    assert '<td class="num" data-margin="11">139.00</td>' in saved  # 199 − 60
    assert '<td class="num" data-margin-pct="11">69.8%</td>' in saved and "Margin %" in saved
    chinese = seller.get("/costs", params={"pass": seller.view_pass, "lang": "zh-hans",
                                           "month": "all"}).text  # fmt: skip
    assert "毛利率" in chinese and '<td class="num" data-margin="11">139.00</td>' in chinese
    report = seller.get("/reports", params={"pass": seller.view_pass})
    assert 'id="pnl-chart"' in report.text and "assets/echarts.min.js" in report.text
    assert '<td class="num" data-month="2026-05">129.05</td>' in plain(
        report.text
    )  # 199 − 9.95 − 60
    assert "69.8%" in report.text  # (199 − 60) / 199
    assert 'id="spending-chart"' in report.text  # spending by category, with its pie
    assert 'data-spent="Expenses:Business:Cost-of-Goods">60.00<' in report.text
    assert '<strong data-figure="necessary">69.95</strong>' in report.text  # commission + cost
    assert '<td class="num" data-flow="2026-05">189.05</td>' in plain(report.text)  # cash: the net
    drill = re.search(
        r'href="(journal\?[^"]*account=Expenses%3ABusiness%3ACost-of-Goods[^"]*)"', report.text
    )
    journal = seller.get("/" + drill.group(1).replace("&amp;", "&"))
    assert "Cost of goods, order A1" in journal.text and "Settlement" not in journal.text
    csv = csv_lines(seller, "/reports.csv")
    assert csv[0] == "account,2026-05,total" and "profit,129.05,129.05" in csv


def test_the_chinese_screens(seller):
    page = seller.get("/reports", params={"pass": seller.view_pass, "lang": "zh-hans"})
    assert "利润表" in page.text and "资产负债表" in page.text and 'lang="zh-hans"' in page.text
    home = seller.get(
        "/home", params={"pass": seller.view_pass}, headers={"accept-language": "zh-CN"}
    )
    assert "记一笔支出" in home.text and "餐饮" in home.text


def test_echarts_and_the_apps_own_script_are_served_by_the_app(seller):
    echarts = seller.get("/assets/echarts.min.js")
    assert echarts.status_code == 200 and len(echarts.content) > 500_000
    assert seller.get("/assets/books.js").status_code == 200
    assert seller.get("/assets/../web.py").status_code == 404


def fill_month(store, count: int) -> None:
    from emporium_books.store import Draft, Leg

    day = books.today().isoformat()
    store.record_all("shop-1", [Draft(f"x{n}", day, "coffee", "personal",
                                      [Leg("Expenses:Personal:Food", Decimal("1.00")),
                                       Leg("Assets:Personal:Cash", Decimal("-1.00"))])
                                for n in range(count)])  # fmt: skip


def test_the_free_plan_stops_hand_entries_at_200_a_month_and_pro_does_not(seller, app):
    store = app.state.books.store
    fill_month(store, 199)
    home = seller.get("/home", params={"pass": seller.view_pass})
    assert '<span data-figure="room">1</span> / 200' in home.text
    form = {"pass": seller.view_pass, "amount": "5", "account": "Expenses:Personal:Food",
            "pay_from": "Assets:Personal:Cash"}  # fmt: skip
    assert seller.post("/expenses", data=form, follow_redirects=False).status_code == 303
    refused = seller.post("/expenses", data=form)
    assert refused.status_code == 400 and "upgrade to Pro" in refused.text
    assert store.count_in_month("shop-1", books.today().strftime("%Y-%m")) == 200
    store.set_plan("shop-1", "pro")
    assert seller.post("/expenses", data=form, follow_redirects=False).status_code == 303
    assert 'data-figure="room"' not in seller.get("/home", params={"pass": seller.view_pass}).text


def test_an_import_past_the_free_plans_month_books_none_of_its_rows(seller, app):
    store = app.state.books.store
    fill_month(store, 197)  # room for 3; the bank statement has 5 rows
    file = (DATA / "bank_2026-06.utf8.csv").read_bytes()
    preview = seller.post("/import", data={"pass": seller.view_pass, "account": "Assets:Personal:Bank"},
                          files={"statement": ("bank.csv", file, "text/csv")})  # fmt: skip
    upload = re.search(r'name="upload" value="(\d+)"', preview.text).group(1)
    refused = seller.post("/import", data={"pass": seller.view_pass, "upload": upload,
                                           "row_3": "Equity:Personal:Draws",
                                           "row_5": "Expenses:Personal:Food",
                                           "row_6": "Expenses:Personal:Food"})  # fmt: skip
    assert refused.status_code == 400 and "upgrade to Pro" in refused.text
    assert store.count_in_month("shop-1", "2026-06") == 0


def test_the_owners_draw_from_the_home_page(seller, app):
    form = {"pass": seller.view_pass, "amount": "800", "shop_account": "Assets:Business:Bank",
            "home_account": "Assets:Personal:Bank"}  # fmt: skip
    moved = seller.post("/draws", data=form, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"].endswith("#draw")
    assert app.state.books.store.balances("shop-1")["Assets:Personal:Bank"] == Decimal("800.00")
    wrong = seller.post("/draws", data={**form, "amount": "abc"})
    assert wrong.status_code == 400 and "must be a number" in wrong.text


def test_a_budget_and_the_report_showing_where_the_month_went_over(seller, app):
    saved = seller.post(
        "/budgets", data={"pass": seller.view_pass, "budget_Expenses:Personal:Food": "100"}
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    for amount in ("60", "90.50"):
        seller.post("/expenses", data={"pass": seller.view_pass, "amount": amount,
                                       "day": "2026-06-03", "account": "Expenses:Personal:Food",
                                       "pay_from": "Assets:Personal:Cash"})  # fmt: skip
    report = plain(
        seller.get("/reports", params={"pass": seller.view_pass, "lang": "zh-hans"}).text
    )
    assert re.search(
        r'class="num over" data-budget="Expenses:Personal:Food">100.00 · 超出 50.50<', report
    )
    wrong = seller.post(
        "/budgets", data={"pass": seller.view_pass, "budget_Expenses:Personal:Food": "-5"}
    )
    assert wrong.status_code == 400 and "must be more than zero" in wrong.text


def test_costs_imported_on_the_costs_page(seller, app):
    file = (DATA / "sku_costs.gbk.csv").read_bytes()
    done = seller.post(
        "/costs", data={"pass": seller.view_pass}, files={"costs": ("成本.csv", file)}
    )
    assert done.status_code == 200 and '<span data-figure="costs-saved">2</span>' in done.text
    bad = seller.post("/costs", data={"pass": seller.view_pass, "lang": "zh-hans"},
                      files={"costs": ("bad.csv", (DATA / "sku_costs_bad.csv").read_bytes())})  # fmt: skip
    assert bad.status_code == 400 and "行 3: SKU 编号必须是数字。" in bad.text


def test_the_household_offers_to_record_my_purchases_in_both_languages(seller, app):
    from urllib.parse import parse_qs, urlsplit

    page = seller.get("/home", params={"pass": seller.view_pass})
    assert "Record my purchases" in page.text and 'action="purchases/connect"' in page.text
    chinese = seller.get("/home", params={"pass": seller.view_pass, "lang": "zh-hans"})
    assert "记录我的购物" in chinese.text and "家庭：我在市场上的购物" in chinese.text
    # The button goes to the platform's buyer consent for reading orders only, PKCE S256.
    sent = seller.post("/purchases/connect", data={"pass": seller.view_pass},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    consent = urlsplit(sent.headers["location"])
    query = {k: v[0] for k, v in parse_qs(consent.query).items()}
    assert consent.path == "/o/authorize/" and query["scope"] == "buyer:orders:read"
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "http://127.0.0.1:9501/oauth/callback"
    assert seller.post("/purchases/connect", data={"pass": "forged"}).status_code == 401
    assert seller.post("/purchases/disconnect", data={"pass": "forged"}).status_code == 401


def record_june(seller) -> None:
    for amount, account, accidental, note in [("1500", "Expenses:Personal:Rent", "", "=HYPERLINK(1)"),
                                              ("32.80", "Expenses:Personal:Food", "", "noodles"),
                                              ("45.50", "Expenses:Personal:Food", "1", "cake")]:  # fmt: skip
        seller.post("/expenses", data={"pass": seller.view_pass, "amount": amount, "day": "2026-06-10",
                                       "account": account, "pay_from": "Assets:Personal:Cash",
                                       "accidental": accidental, "note": note})  # fmt: skip


def test_the_necessary_and_accidental_view_by_category_drills_down(seller, app):
    record_june(seller)
    view = seller.get("/tags", params={"pass": seller.view_pass, "month": "2026-06"})
    assert view.status_code == 200
    assert 'data-necessary="Expenses:Personal:Food"><a' in view.text
    assert re.search(r'data-accidental="Expenses:Personal:Food"><a[^>]*>45.50<', view.text)
    assert '<td class="num" data-figure="necessary">1532.80</td>' in view.text
    assert '<td class="num" data-figure="accidental">45.50</td>' in view.text
    drill = re.search(r'href="(journal\?[^"]*tag=accidental[^"]*)"', view.text)
    journal = seller.get("/" + drill.group(1).replace("&amp;", "&")).text
    assert "45.50" in journal and "32.80" not in journal and "1500.00" not in journal
    zh = seller.get(
        "/tags", params={"pass": seller.view_pass, "month": "2026-06", "lang": "zh-hans"}
    )
    assert "必要与非必要支出" in zh.text and "非必要支出" in zh.text
    assert seller.get("/tags", params={"pass": "forged"}).status_code == 401


def test_every_report_downloads_as_csv_with_the_pages_figures(seller, app):
    record_june(seller)
    report = seller.get("/reports", params={"pass": seller.view_pass, "day": "2026-06-30"}).text
    for name in ("profit-and-loss", "balance-sheet", "cash-flow", "spending"):
        assert f"reports/{name}.csv?" in report
    assert "tags?" in report

    def rows(path: str, **params: str) -> list[str]:
        return csv_lines(seller, path, **params)

    assert rows("/reports/profit-and-loss.csv")[0] == "account,2026-06,total"
    sheet = rows("/reports/balance-sheet.csv", day="2026-06-30")
    assert sheet[0] == "section,account,as of 2026-06-30"
    assert "assets,Assets:Personal:Cash,-1578.30" in sheet  # a negative figure stays a number
    assert "total,assets,-1578.30" in sheet
    assert rows("/reports/cash-flow.csv")[1] == "2026-06,0.00,-1578.30,0.00,0.00,-1578.30"
    spent = rows("/reports/spending.csv", month="2026-06")
    assert spent[0] == "category,2026-06,2026-05,change,budget"
    assert "Expenses:Personal:Food,78.30,0.00,78.30," in spent and spent[-1].startswith(
        "total,1578.30"
    )
    tags = rows("/reports/necessary-accidental.csv", month="2026-06")
    assert (
        "Expenses:Personal:Food,32.80,45.50,78.30" in tags
        and tags[-1] == "total,1532.80,45.50,1578.30"
    )
    assert seller.get("/reports/nothing.csv", params={"pass": seller.view_pass}).status_code == 404
    assert seller.get("/reports/spending.csv", params={"pass": "forged"}).status_code == 401


def test_costs_journal_and_the_pages_totals_download_as_csv_with_the_pages_figures(seller, app):
    store = app.state.books.store
    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T12:00:00+00:00")
    seller.post("/costs", data={"pass": seller.view_pass, "sku_11": "60.00"})
    seller.post("/budgets", data={"pass": seller.view_pass,
                                  "budget_Expenses:Business:Platform:Commission": "5.00"})  # fmt: skip
    costs = seller.get("/costs", params={"pass": seller.view_pass, "month": "2026-05"}).text
    assert "reports/costs.csv?" in costs
    margin = re.search(r'data-margin="11">([\d.]+)<', costs).group(1)
    pct = re.search(r'data-margin-pct="11">([\d.]+)%<', costs).group(1)
    assert csv_lines(seller, "/reports/costs.csv", month="2026-05")[1].endswith(
        f",1,199.00,60.00,1,199.00,60.00,{margin},{pct}"
    )
    report = plain(
        seller.get("/reports", params={"pass": seller.view_pass, "month": "2026-05"}).text
    )
    pnl = csv_lines(seller, "/reports/profit-and-loss.csv")
    for label, key in (("Income", "income"), ("Expenses", "expenses"), ("Profit", "profit")):
        shown = re.search(rf'<th scope="row">{label}</th><td class="num"[^>]*>([-\d.]+)<', report)
        assert f"{key},{shown.group(1)},{shown.group(1)}" in pnl
    shown_margin = re.search(r'<th scope="row">Gross margin</th><td class="num">([\d.]+)%', report)
    assert f"gross margin %,{shown_margin.group(1)}," in pnl
    budget = re.search(r'data-budget="Expenses:Business:Platform:Commission">([\d.]+)', report)
    spent = csv_lines(seller, "/reports/spending.csv", month="2026-05")
    assert f"Expenses:Business:Platform:Commission,9.95,0.00,9.95,{budget.group(1)}" in spent
    journal = seller.get("/journal", params={"pass": seller.view_pass, "month": "2026-05",
                                             "account": "Expenses:Business:Cost-of-Goods"}).text  # fmt: skip
    drill = re.search(r'href="(reports/journal\.csv\?[^"]*)"', journal).group(1)
    got = seller.get("/" + drill.replace("&amp;", "&"))
    assert got.headers["content-type"].startswith("text/csv")
    rows = got.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "date,narration,platform id,account,amount"
    assert len(rows) == 2 and rows[1].endswith(",Expenses:Business:Cost-of-Goods,60.00")
    assert "Cost of goods, order A1" in rows[1]


def test_the_margin_per_sku_is_of_a_month_this_month_by_default(seller, app, monkeypatch):
    store = app.state.books.store
    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))  # placed 30 May
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T12:00:00+00:00")
    june = order("B2", (11, 2, "380.00")).model_copy(
        update={"created_at": datetime(2026, 6, 10, 10, 0, tzinfo=UTC)}
    )
    cogs.keep_order(store, "shop-1", june)
    settle(store, 2, "B2", "380.00", "19.00", "2026-06-12T12:00:00+00:00")
    seller.post("/costs", data={"pass": seller.view_pass, "sku_11": "60.00"})
    monkeypatch.setattr(books, "today", lambda: date(2026, 6, 20))

    def margin(**params: str) -> tuple[str, str]:
        page = seller.get("/costs", params={"pass": seller.view_pass, **params}).text
        found = re.search(r'<td class="num">(\d+)</td><td class="num">([\d.]+)</td>.*?'
                          r'data-margin="11">([\d.]+)<', page, re.S)  # fmt: skip
        return found.group(1), found.group(3)

    assert margin() == ("2", "260.00")  # June: 380 − 2 × 60
    assert margin(month="2026-05") == ("1", "139.00")  # 199 − 60
    assert margin(month="all") == ("3", "399.00")
    assert margin(month="2026-04") == ("0", "0.00")  # listed, so its cost can be entered
    assert margin(month="bad") == ("2", "260.00")  # this month again
    page = seller.get("/costs", params={"pass": seller.view_pass, "month": "2026-05"}).text
    assert '<input type="month" name="month" value="2026-05">' in page
    assert csv_lines(seller, "/reports/costs.csv", month="2026-05")[1].endswith(",139.00,69.8")


def test_figures_lead_to_the_transactions_that_sum_to_them(seller, app, monkeypatch):
    store = app.state.books.store
    cogs.keep_order(store, "shop-1", order("A1", (11, 1, "199.00")))
    settle(store, 1, "A1", "199.00", "9.95", "2026-05-31T12:00:00+00:00")
    seller.post("/costs", data={"pass": seller.view_pass, "sku_11": "60.00"})
    seller.post("/budgets", data={"pass": seller.view_pass,
                                  "budget_Expenses:Business:Platform:Commission": "5.00"})  # fmt: skip
    seller.post("/expenses", data={"pass": seller.view_pass, "amount": "32.80", "day": "2026-06-05",
                                   "account": "Expenses:Personal:Food",
                                   "pay_from": "Assets:Personal:Alipay"})  # fmt: skip
    report = seller.get("/reports", params={"pass": seller.view_pass, "day": "2026-05-31",
                                            "month": "2026-05"}).text  # fmt: skip
    monkeypatch.setattr(books, "today", lambda: date(2026, 6, 20))  # cards: May and June
    home = seller.get("/home", params={"pass": seller.view_pass}).text

    def followed(page: str, query: str) -> tuple[Decimal, Decimal]:
        """The figure a link shows and the sum of the journal's amounts it leads to."""
        found = re.search(rf'href="(journal\?[^"]*{query})">([-\d.]+)(?: ·[^<]*)?</a>', page)
        assert found, query
        journal = seller.get("/" + found.group(1).replace("&amp;", "&")).text
        amounts = re.findall(r'<td class="num">(-?[\d.]+)</td></tr>', journal)
        return Decimal(found.group(2)), sum((Decimal(a) for a in amounts), Decimal("0.00"))

    # (the page, the link's query, the sign the books give the figure's postings)
    for page, query, sign in [
        (report, "kind=expenses&amp;month=2026-05", 1),  # P&L footer: commission and cost
        (report, "kind=earnings&amp;month=2026-05", -1),  # the month's profit
        (report, "account=Income%3ABusiness%3ASales", -1),  # the total column
        (report, "kind=income", -1),  # the footer's total
        (report, "flow=net&amp;month=2026-05", 1),  # cash flow
        (report, "flow=expenses&amp;month=2026-06", 1),
        (report, "account=Assets%3ABusiness%3APlatform%3ABalance&amp;until=2026-05-31", 1),
        (report, "account=Assets%3ABusiness%3AInventory&amp;until=2026-05-31", 1),
        (report, "kind=earnings&amp;until=2026-05-31", -1),  # the balance sheet's earnings
        (report, "account=Expenses%3ABusiness%3APlatform%3ACommission&amp;month=2026-05", 1),
        (home, "kind=income&amp;month=2026-05", -1),  # the home page's cards
        (home, "kind=expenses&amp;month=2026-06", 1),
    ]:
        figure, total = followed(page, query)
        assert figure == sign * total, (query, figure, total)
        assert figure, query  # a figure, not an empty month
    # A budget leads to what was spent against it (over by 4.95 here).
    budget = re.search(r'data-budget="Expenses:Business:Platform:Commission"><a href="([^"]*)">'
                       r'5.00 · over by 4.95</a>', report)  # fmt: skip
    assert budget, report
    journal = seller.get("/" + budget.group(1).replace("&amp;", "&")).text
    assert re.findall(r'<td class="num">(-?[\d.]+)</td></tr>', journal) == ["9.95"]


def plain(page: str) -> str:
    """A page without its drill-down links, to read its figures."""
    return re.sub(r"</?a\b[^>]*>", "", page)


def csv_lines(seller, path: str, **params: str) -> list[str]:
    """A CSV download's lines, after the BOM that tells a spreadsheet program it is UTF-8."""
    got = seller.get(path, params={"pass": seller.view_pass, **params})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert got.content.startswith("\ufeff".encode())
    return got.content.decode("utf-8-sig").splitlines()


def headers_and_totals(seller, lang: str) -> dict[str, list[str]]:
    """Each report's CSV in `lang`: its header row and its last row."""
    got = {}
    for path, params in [("/reports/profit-and-loss.csv", {}),
                         ("/reports/balance-sheet.csv", {"day": "2026-06-30"}),
                         ("/reports/cash-flow.csv", {}),
                         ("/reports/spending.csv", {"month": "2026-06"}),
                         ("/reports/necessary-accidental.csv", {"month": "2026-06"})]:  # fmt: skip
        lines = csv_lines(seller, path, lang=lang, **params)
        got[path] = [lines[0], lines[-1]]
    return got


def test_csv_exports_have_english_headers_for_an_english_seller(seller, app):
    record_june(seller)
    assert headers_and_totals(seller, "en") == {
        "/reports/profit-and-loss.csv": ["account,2026-06,total", "gross margin %,,"],
        "/reports/balance-sheet.csv": ["section,account,as of 2026-06-30",
                                       "total,claims,-1578.30"],
        "/reports/cash-flow.csv": ["month,income,expenses,owner,other,net",
                                   "2026-06,0.00,-1578.30,0.00,0.00,-1578.30"],
        "/reports/spending.csv": ["category,2026-06,2026-05,change,budget",
                                   "total,1578.30,0.00,1578.30,"],
        "/reports/necessary-accidental.csv": ["category 2026-06,necessary,accidental,total",
                                              "total,1532.80,45.50,1578.30"],
    }  # fmt: skip
    # a browser asking for English gets the same, without ?lang=
    english = seller.get("/reports/spending.csv", params={"pass": seller.view_pass, "month": "2026-06"},
                         headers={"accept-language": "en-GB,en;q=0.9"})  # fmt: skip
    assert english.content.decode("utf-8-sig").startswith("category,2026-06,2026-05,change")


def test_csv_exports_have_chinese_headers_for_a_chinese_seller(seller, app):
    record_june(seller)
    assert headers_and_totals(seller, "zh-hans") == {
        "/reports/profit-and-loss.csv": ["账户,2026-06,合计", "毛利率 %,,"],
        "/reports/balance-sheet.csv": ["类别,账户,截至 2026-06-30", "合计,负债和权益,-1578.30"],
        "/reports/cash-flow.csv": ["月份,收入,支出,店主,其他,净额",
                                   "2026-06,0.00,-1578.30,0.00,0.00,-1578.30"],
        "/reports/spending.csv": ["分类,2026-06,2026-05,变化,预算", "合计,1578.30,0.00,1578.30,"],
        "/reports/necessary-accidental.csv": ["分类 2026-06,必要,非必要,合计",
                                              "合计,1532.80,45.50,1578.30"],
    }  # fmt: skip
    # the seller center opens the app in Chinese: the browser's language is enough
    chinese = seller.get("/reports/spending.csv", params={"pass": seller.view_pass, "month": "2026-06"},
                         headers={"accept-language": "zh-CN,zh;q=0.9"})  # fmt: skip
    assert chinese.content.decode("utf-8-sig").startswith("分类,2026-06,2026-05,变化")
    # the reports page links each CSV in the page's language
    page = seller.get("/reports", params={"pass": seller.view_pass, "lang": "zh-hans"}).text
    assert re.search(r'href="reports/profit-and-loss\.csv\?[^"]*lang=zh-hans', page)


def test_the_reconciliation_csv_in_english_and_chinese(app):
    store = app.state.books.store
    june1 = datetime(2026, 6, 1, 1, tzinfo=UTC)
    platform = [
        movement(1, "app_charge", "-30.00", "-30.00").model_copy(update={"created_at": june1})
    ]
    result = reports.reconcile(store, "shop-1", platform, day=date(2026, 6, 2))
    assert sheets.reconciliation(result, "en").splitlines()[:2] == [
        "line,platform id,date,type or narration,amount", "books,,2026-06-02,,0.00"]  # fmt: skip
    assert sheets.reconciliation(result, "zh-hans").splitlines() == [
        "行,平台流水号,日期,类型或摘要,金额", "账本,,2026-06-02,,0.00", "平台,,2026-06-02,,-30.00",
        "差额,,2026-06-02,,30.00", "账本缺少,btx_1,2026-06-01,app_charge,-30.00"]  # fmt: skip


def test_a_csv_cell_a_spreadsheet_would_run_gets_an_apostrophe():
    text = sheets.render(["a", "b", "c"], [["=HYPERLINK(1)", "+1", Decimal("-5.00")],
                                           ["@SUM(A1)", "-cmd", "plain"]])  # fmt: skip
    assert text.splitlines() == ["a,b,c", "'=HYPERLINK(1),'+1,-5.00", "'@SUM(A1),'-cmd,plain"]


def test_the_reconciliation_of_a_past_day_on_the_page_and_as_csv(seller, app, monkeypatch):
    store, state = app.state.books.store, app.state.books
    june1, june5 = (datetime(2026, 6, d, 1, tzinfo=UTC) for d in (1, 5))
    platform = [
        movement(1, "settlement", "189.05", "189.05", order_number="A1", gross=money("199.00"),
                 commission=money("9.95")).model_copy(update={"created_at": june1}),
        movement(2, "app_charge", "-30.00", "159.05").model_copy(update={"created_at": june1}),
        movement(3, "withdrawal", "-100.00", "59.05").model_copy(update={"created_at": june5}),
    ]  # fmt: skip
    books.record(store, "shop-1", platform[0])
    store.record("shop-1", source=None, day="2026-06-01", narration="=typed by hand",
                 book="business", legs=[books.Leg(books.PLATFORM_BALANCE, Decimal("-5.00")),
                                        books.Leg("Expenses:Business:Advertising", Decimal("5.00"))])  # fmt: skip
    asked = []

    def movements(shop_id, until, since=None):
        asked.append(until)
        return [m for m in platform if books.day_of(m.created_at) <= until], Decimal("59.05"), since

    monkeypatch.setattr(state, "movements", movements)
    page = seller.get("/reconcile", params={"pass": seller.view_pass, "day": "2026-06-02"}).text
    assert asked == [date(2026, 6, 2)]
    # at the end of 2 June the platform said 159.05 (the balance after btx_2), not today's 59.05
    assert '<dd data-figure="platform">159.05</dd>' in page
    assert '<dd data-figure="books">184.05</dd>' in page and "btx_2" in page and "btx_3" not in page
    assert "reconcile.csv?" in page
    rows = csv_lines(seller, "/reconcile.csv", day="2026-06-02")
    assert rows[0] == "line,platform id,date,type or narration,amount"
    assert rows[1:4] == ["books,,2026-06-02,,184.05", "platform,,2026-06-02,,159.05",
                         "difference,,2026-06-02,,25.00"]  # fmt: skip
    assert "missing,btx_2,2026-06-01,app_charge,-30.00" in rows
    assert "unexplained,,2026-06-01,'=typed by hand,-5.00" in rows


def test_a_category_added_on_its_page_is_offered_by_the_expense_form(seller, app):
    added = seller.post("/categories", data={"pass": seller.view_pass, "label": "快递费",
                                             "kind": "Expenses", "book": "business"})  # fmt: skip
    assert added.status_code == 200 and 'data-added="Expenses:Business:Own-1">快递费<' in added.text
    again = seller.post("/categories", data={"pass": seller.view_pass, "label": "快递费",
                                             "kind": "Expenses", "book": "business", "lang": "zh-hans"})  # fmt: skip
    assert again.status_code == 400 and "这个账本里已经有同名的分类。" in again.text
    empty = seller.post("/categories", data={"pass": seller.view_pass, "label": " ",
                                             "kind": "Expenses", "book": "business"})  # fmt: skip
    assert empty.status_code == 400 and "Type a name for the category." in empty.text
    home = seller.get("/home", params={"pass": seller.view_pass}).text
    assert '<option value="Expenses:Business:Own-1">快递费</option>' in home
    saved = seller.post("/expenses", data={"pass": seller.view_pass, "amount": "8", "day": "2026-06-10",
                                           "account": "Expenses:Business:Own-1",
                                           "pay_from": "Assets:Business:Bank"})  # fmt: skip
    assert saved.status_code in (200, 303)
    report = seller.get("/reports", params={"pass": seller.view_pass}).text
    assert 'data-spent="Expenses:Business:Own-1">8.00<' in report and "快递费" in report
    assert seller.post("/categories", data={"pass": "forged", "label": "x"}).status_code == 401


def test_a_category_the_seller_added_is_renamed_and_keeps_what_was_booked_to_it(seller, app):
    store = app.state.books.store
    seller.post("/categories", data={"pass": seller.view_pass, "label": "Flowers",
                                     "kind": "Expenses", "book": "personal"})  # fmt: skip
    seller.post("/expenses", data={"pass": seller.view_pass, "amount": "25", "day": "2026-06-10",
                                   "account": "Expenses:Personal:Flowers",
                                   "pay_from": "Assets:Personal:Cash"})  # fmt: skip
    renamed = seller.post("/categories", data={"pass": seller.view_pass, "lang": "zh-hans",
                                               "rename": "Expenses:Personal:Flowers", "label": "鲜花"})  # fmt: skip
    assert (
        renamed.status_code == 200
        and 'data-renamed="Expenses:Personal:Flowers">鲜花<' in renamed.text
    )
    assert store.balances("shop-1")["Expenses:Personal:Flowers"] == Decimal(
        "25.00"
    )  # the same account
    home = seller.get("/home", params={"pass": seller.view_pass}).text
    assert '<option value="Expenses:Personal:Flowers">鲜花</option>' in home
    report = seller.get("/reports", params={"pass": seller.view_pass, "month": "2026-06"}).text
    assert 'data-spent="Expenses:Personal:Flowers">25.00<' in report and "鲜花" in report
    # Refused, with the reason beside the row: a name the household already has, an empty one,
    # and a category of the app's own chart (its names are translated, not the seller's).
    taken = seller.post("/categories", data={"pass": seller.view_pass, "label": "Food",
                                             "rename": "Expenses:Personal:Flowers"})  # fmt: skip
    assert taken.status_code == 400 and "There is already a category with this name" in taken.text
    empty = seller.post("/categories", data={"pass": seller.view_pass, "label": "  ",
                                             "rename": "Expenses:Personal:Flowers"})  # fmt: skip
    assert empty.status_code == 400 and "Type a name for the category." in empty.text
    chart_own = seller.post("/categories", data={"pass": seller.view_pass, "label": "Groceries",
                                                 "rename": "Expenses:Personal:Food"})  # fmt: skip
    assert chart_own.status_code == 400 and "Only a category you added" in chart_own.text
    assert store.labels("shop-1") == {"Expenses:Personal:Flowers": "鲜花"}
    # the same name again (its own) is no clash
    same = seller.post("/categories", data={"pass": seller.view_pass, "label": "鲜花",
                                            "rename": "Expenses:Personal:Flowers"})  # fmt: skip
    assert same.status_code == 200
    forged = seller.post("/categories", data={"pass": "forged", "label": "x",
                                              "rename": "Expenses:Personal:Flowers"})  # fmt: skip
    assert forged.status_code == 401


def test_a_figure_of_one_book_leads_to_that_books_postings_only(seller, app, monkeypatch):
    for amount, account, pay_from in [("32.80", "Expenses:Personal:Food", "Assets:Personal:Cash"),
                                      ("120.00", "Expenses:Business:Shipping", "Assets:Business:Bank")]:  # fmt: skip
        seller.post("/expenses", data={"pass": seller.view_pass, "amount": amount, "day": "2026-06-10",
                                       "account": account, "pay_from": pay_from})  # fmt: skip
    monkeypatch.setattr(books, "today", lambda: date(2026, 6, 20))
    for book, figure in [("personal", "32.80"), ("business", "120.00"), ("all", "152.80")]:
        report = seller.get("/reports", params={"pass": seller.view_pass, "book": book}).text
        found = re.search(r'href="(journal\?[^"]*kind=expenses[^"]*month=2026-06[^"]*)">([\d.]+)<',
                          report)  # fmt: skip
        assert found and found.group(2) == figure, (book, found)
        journal = seller.get("/" + found.group(1).replace("&amp;", "&")).text
        amounts = re.findall(r'<td class="num">(-?[\d.]+)</td></tr>', journal)
        assert sum(Decimal(a) for a in amounts) == Decimal(figure), (book, amounts)
        lines = csv_lines(
            seller, "/reports/journal.csv", kind="expenses", month="2026-06", book=book
        )
        assert len(lines) - 1 == len(amounts), book  # the CSV has the same postings


def test_a_long_journal_pages_by_200_and_the_csv_has_every_posting(seller, app):
    fill_month(app.state.books.store, 150)  # 300 postings: 150 expenses, each paid in cash

    def journal(**params: str) -> str:
        return seller.get("/journal", params={"pass": seller.view_pass, **params}).text

    first = journal()
    assert len(re.findall(r'<td class="num">', first)) == 200
    assert "Entries 1–200" in first and 'rel="prev"' not in first
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = seller.get("/" + older).text
    assert len(re.findall(r'<td class="num">', second)) == 100
    assert "Entries 201–300" in second and 'rel="next"' not in second and 'rel="prev"' in second
    assert len(csv_lines(seller, "/reports/journal.csv")) - 1 == 300
    assert "No entries here yet." in journal(page="9")
    assert "Entries 1–200" in journal(page="nonsense")  # the first page, not an error
    food = journal(account="Expenses:Personal:Food")  # 150: one page, no pager
    assert len(re.findall(r'<td class="num">', food)) == 150 and 'class="pager"' not in food
