"""Importing bank and Alipay statements: GBK and UTF-8, a preview that writes nothing, rows with
errors named by their line, nothing half-imported, a second import books nothing twice."""

from decimal import Decimal
from pathlib import Path

import pytest
from emporium_books import statements
from emporium_books.statements import StatementError

DATA = Path(__file__).parent / "data"
ALIPAY = "Assets:Personal:Alipay"
BANK = "Assets:Personal:Bank"


def content(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_a_gbk_alipay_statement_is_read_below_its_preamble():
    statement = statements.read(content("alipay_2026-06.gbk.csv"))
    assert statement.encoding == "gbk"
    rows = {row.number: row for row in statement.rows}
    assert [row.number for row in statement.rows] == [6, 7, 8, 9, 10, 11]
    assert (rows[6].day, rows[6].amount, rows[6].payee) == (
        "2026-06-01",
        Decimal("-23.00"),
        "顺丰速运",
    )
    assert rows[9].amount == Decimal("200.00")  # 收入 comes in
    assert rows[10].skipped == "不计收支"  # a move to 余额宝 is neither income nor spending
    assert not statement.errors


def test_a_utf8_bank_statement_with_income_and_spending_columns():
    statement = statements.read(content("bank_2026-06.utf8.csv"))
    assert statement.encoding == "utf-8"
    amounts = [row.amount for row in statement.rows]
    assert amounts == [Decimal(a) for a in ("-1500.00", "3200.00", "-1280.00", "-9.90", "-9.90")]
    # two identical coffees on one day are two rows, not one row and a duplicate
    assert statement.rows[3].source != statement.rows[4].source


def test_a_file_in_neither_encoding_is_refused_whole():
    with pytest.raises(StatementError) as refused:
        statements.read(content("alipay_utf16.csv"))
    assert refused.value.code == "encoding_unknown"


def test_a_file_without_a_header_is_refused():
    with pytest.raises(StatementError) as refused:
        statements.read("随便写的一些字\n没有表头\n".encode("gbk"))
    assert refused.value.code == "header_missing"


def test_bad_rows_are_named_by_their_line_and_nothing_is_booked(store):
    preview = statements.preview(store, "shop-1", content("alipay_bad_rows.gbk.csv"), ALIPAY)
    errors = {row.number: row.error for row in preview.errors}
    assert errors == {
        4: "date_unreadable",  # 06/02/2026: which is the month?
        5: "amount_not_positive",  # a negative amount where 收/支 gives the sign
        6: "amount_not_a_number",  # 1e3: a float's notation
        7: "amount_too_precise",  # 12.345
        8: "amount_not_a_number",  # 十二元
    }
    booked, problems = statements.commit(store, "shop-1", content("alipay_bad_rows.gbk.csv"),
                                         ALIPAY, {})  # fmt: skip
    assert booked == 0
    rows = [number for number, _code, _value in problems]
    # the bad rows, and row 9 which matches no rule and was given no category
    assert rows == [4, 5, 6, 7, 8, 9]
    assert problems[-1][:2] == (9, "row_no_account")
    assert store.transactions("shop-1") == []  # nothing half-imported, not even row 3


def test_preview_suggests_by_rule_then_commit_books_all_and_a_reimport_books_nothing(store):
    file = content("alipay_2026-06.gbk.csv")
    preview = statements.preview(store, "shop-1", file, ALIPAY)
    suggested = {row.number: row.suggestion for row in preview.rows}
    assert suggested[6] == "Expenses:Business:Shipping"  # 顺丰
    assert suggested[7] == "Expenses:Business:Packaging"  # 纸箱
    assert suggested[8] == "Expenses:Personal:Food"  # 美团
    assert suggested[11] == "Expenses:Personal:Phone"  # 中国移动
    assert suggested[9] == ""  # a transfer from a friend: no rule
    assert store.transactions("shop-1") == []  # the preview wrote nothing

    booked, problems = statements.commit(store, "shop-1", file, ALIPAY,
                                         {9: "Income:Personal:Other"})  # fmt: skip
    assert (booked, problems) == (5, [])
    balances = store.balances("shop-1")
    assert balances[ALIPAY] == Decimal("200.00") - Decimal("191.30")
    assert balances["Expenses:Business:Shipping"] == Decimal("23.00")
    assert sum(balances.values()) == 0

    again = statements.preview(store, "shop-1", file, ALIPAY)
    assert all(row.duplicate for row in again.rows if row.source)
    assert statements.commit(store, "shop-1", file, ALIPAY, {9: "Income:Personal:Other"}) == (0, [])
    assert store.balances("shop-1") == balances


def test_categories_are_learned_from_the_sellers_choices(store):
    bank = content("bank_2026-06.utf8.csv")
    choices = {3: "Equity:Personal:Draws", 5: "Expenses:Personal:Food", 6: "Expenses:Personal:Food"}
    assert statements.commit(store, "shop-1", bank, BANK, choices) == (5, [])
    # next month's statement: the same payee gets the seller's own category
    row = statements.Row(number=2, payee="全家便利店", memo="咖啡")
    assert statements.suggest(row, statements.learned(store, "shop-1")) == "Expenses:Personal:Food"


def test_the_statement_account_itself_cannot_be_the_category(store):
    bank = content("bank_2026-06.utf8.csv")
    booked, problems = statements.commit(store, "shop-1", bank, BANK, {3: BANK, 5: "x", 6: "x"})
    assert booked == 0 and {p[0] for p in problems} == {3, 5, 6}
    assert store.transactions("shop-1") == []
