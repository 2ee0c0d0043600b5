"""The seller's own import rules: made, listed and deleted (after a confirmation), refused with a
clear message when wrong (nothing written), and tried before the built-in rules at the preview."""

import re
from pathlib import Path

import pytest
from emporium_books import books, rules, statements
from emporium_books.config import Config
from emporium_books.money import BadInput
from emporium_books.web import PURPOSE, build
from emporium_sdk.viewpass import issue_pass
from starlette.testclient import TestClient

DATA = Path(__file__).parent / "data"
ALIPAY = (DATA / "alipay_2026-06.gbk.csv").read_bytes()


def test_a_rule_of_the_sellers_comes_before_the_built_in_ones(store):
    before = {r.number: r.suggestion for r in statements.preview(
        store, "shop-1", ALIPAY, "Assets:Personal:Alipay").rows}  # fmt: skip
    assert before[6] == "Expenses:Business:Shipping" and before[9] == ""  # built in; none
    # 顺丰 is where Mei buys her packing material, and 李娜 pays her back for groceries
    rules.add(store, "shop-1", "  顺丰速运 ", "Expenses:Business:Packaging")
    rules.add(store, "shop-1", "还钱", "Income:Personal:Other")
    after = {r.number: r.suggestion for r in statements.preview(
        store, "shop-1", ALIPAY, "Assets:Personal:Alipay").rows}  # fmt: skip
    assert after[6] == "Expenses:Business:Packaging"  # her rule wins over the built-in one
    assert after[9] == "Income:Personal:Other"  # matched in the memo
    assert after[8] == before[8] == "Expenses:Personal:Food"  # no rule of hers: built-in
    assert [(r.pattern, r.account) for r in rules.listed(store, "shop-1")] == [
        ("顺丰速运", "Expenses:Business:Packaging"), ("还钱", "Income:Personal:Other")]  # fmt: skip


def test_a_match_ignores_case_and_the_first_rule_added_wins(store):
    rules.add(store, "shop-1", "COURIER", "Expenses:Business:Shipping")
    rules.add(store, "shop-1", "courier", "Expenses:Business:Packaging")
    row = statements.Row(number=2, payee="City Courier Ltd", memo="")
    assert statements.suggest(row, {}, rules.listed(store, "shop-1")) == (
        "Expenses:Business:Shipping")  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "account", "code"),
    [("", "Expenses:Personal:Food", "rule_pattern_empty"),
     ("   ", "Expenses:Personal:Food", "rule_pattern_empty"),
     ("x" * 61, "Expenses:Personal:Food", "rule_pattern_too_long"),
     ("美团", "Expenses:Personal:Nowhere", "rule_account_unknown"),
     ("美团", "", "rule_account_unknown"),
     ("美团", "Assets:Personal:Bank", "rule_account_unknown")],  # an account, not a category
)  # fmt: skip
def test_a_bad_rule_is_refused_and_nothing_is_written(store, pattern, account, code):
    with pytest.raises(BadInput) as refused:
        rules.add(store, "shop-1", pattern, account)
    assert refused.value.code == code
    assert rules.listed(store, "shop-1") == []


def test_rules_are_the_shops_own(store):
    store.save_shop("shop-2", "Lan's")
    store.open_accounts("shop-2", books.CHART)
    mine = rules.add(store, "shop-1", "美团", "Expenses:Business:Advertising")
    assert rules.listed(store, "shop-2") == []
    assert not rules.delete(store, "shop-2", mine.id)  # another shop cannot delete it
    assert rules.listed(store, "shop-1") == [mine]
    store.forget("shop-1")
    assert rules.listed(store, "shop-1") == []


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path):
    web = build(Config(platform_url="http://127.0.0.1:9", public_url="http://127.0.0.1:9601",
                       client_id="books", client_secret="s3cret", data_dir=tmp_path / "books"))  # fmt: skip
    web.state.books.store.save_shop("shop-1", "Mei's")
    web.state.books.store.open_accounts("shop-1", books.CHART)
    return web


@pytest.fixture
def seller(app) -> TestClient:
    client = TestClient(app)
    client.view_pass = issue_pass("shop-1", "s3cret", purpose=PURPOSE)
    return client


def test_rules_page_adds_lists_and_deletes_after_a_confirmation(seller, app):
    store = app.state.books.store
    added = seller.post("/rules", data={"pass": seller.view_pass, "pattern": "顺丰",
                                        "account": "Expenses:Business:Packaging"})  # fmt: skip
    assert added.status_code == 200 and "Rule added" in added.text
    [rule] = rules.listed(store, "shop-1")
    assert f'<tr data-rule="{rule.id}"><td>顺丰</td>' in added.text
    # the preview of a statement now suggests her category for the 顺丰 row
    preview = seller.post("/import", data={"pass": seller.view_pass, "account": "Assets:Personal:Alipay"},
                          files={"statement": ("支付宝.csv", ALIPAY, "text/csv")})  # fmt: skip
    row6 = re.search(r'<tr data-row="6".*?</tr>', preview.text, re.S).group(0)
    assert '<option value="Expenses:Business:Packaging" selected>' in row6

    asked = seller.post("/rules", data={"pass": seller.view_pass, "delete": str(rule.id)})
    assert asked.status_code == 200 and "Delete this rule?" in asked.text
    assert rules.listed(store, "shop-1") == [rule]  # asked, not yet deleted
    gone = seller.post("/rules", data={"pass": seller.view_pass, "delete": str(rule.id),
                                       "confirm": "yes"})  # fmt: skip
    assert gone.status_code == 200 and "Rule deleted" in gone.text
    assert rules.listed(store, "shop-1") == [] and "No rules yet." in gone.text


def test_rules_page_refuses_bad_input_with_a_clear_message_in_both_languages(seller, app):
    empty = seller.post("/rules", data={"pass": seller.view_pass, "pattern": " ",
                                        "account": "Expenses:Personal:Food"})  # fmt: skip
    assert empty.status_code == 400
    assert "Type the text to look for in the payee or memo." in empty.text
    unknown = seller.post("/rules", data={"pass": seller.view_pass, "pattern": "美团",
                                          "account": "Expenses:Personal:Nowhere",
                                          "lang": "zh-hans"})  # fmt: skip
    assert unknown.status_code == 400 and "请选择你的一个支出或收入分类。" in unknown.text
    assert 'value="美团"' in unknown.text  # what was typed stays, to correct it
    assert rules.listed(app.state.books.store, "shop-1") == []
    page = seller.get("/rules", params={"pass": seller.view_pass, "lang": "zh-hans"}).text
    assert "导入规则" in page and "交易对方或备注包含" in page


def test_rules_page_needs_a_genuine_pass(seller, app):
    refused = seller.post("/rules", data={"pass": "forged", "pattern": "美团",
                                          "account": "Expenses:Personal:Food"})  # fmt: skip
    assert refused.status_code in (401, 403)
    assert rules.listed(app.state.books.store, "shop-1") == []
