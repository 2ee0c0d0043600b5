"""Playwright: a seller opens Books in the seller center, records three expenses by keyboard
only, imports her Alipay statement (GBK) and sees the month's profit and loss."""

from decimal import Decimal
from pathlib import Path

import pytest
from books_live import open_books
from emporium_books import books
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).parent.parent / "data"


def test_a_seller_keeps_her_books_by_keyboard_and_sees_the_month(
    page, live_server, seller, shop, request
):
    books_app = request.getfixturevalue("books_app")
    app = open_books(page, seller)
    expect(app.get_by_role("heading", name="Record an expense")).to_be_visible()

    # Three expenses, keyboard only: amount, Tab, type-ahead in the category, Tab, note, Enter
    # (paid from and the date keep Alipay and today).
    for amount, category, memo in [("23.00", "Shi", "SF Express"), ("32.80", "Foo", "Lunch"),
                                   ("1500", "Ren", "Rent")]:  # fmt: skip
        amount_box = app.locator("#amount")
        amount_box.focus()
        expect(amount_box).to_be_focused()
        page.keyboard.type(amount)
        page.keyboard.press("Tab")  # the category
        page.keyboard.type(category)
        page.keyboard.press("Tab")  # the note
        page.keyboard.type(memo)
        page.keyboard.press("Enter")
        expect(app.get_by_role("status")).to_contain_text("Saved")
        expect(app.locator("table.recent")).to_contain_text(memo)
        expect(app.locator("#amount")).to_have_value("")
    # A mistake is caught and named, by keyboard too.
    app.locator("#amount").focus()
    page.keyboard.type("12.345")
    page.keyboard.press("Enter")
    expect(app.get_by_role("alert")).to_contain_text("At most two decimals")

    shop_id = str(shop.public_id)
    month = books.today().strftime("%Y-%m")
    typed = [t for t in books_app.store.transactions(shop_id) if t.source is None]
    assert sorted(t.narration for t in typed) == ["Lunch", "Rent", "SF Express"]

    # The Alipay statement: previewed (GBK found), one row given a category, booked.
    app.get_by_role("link", name="Import a statement").click()
    app.locator("input[type=file]").set_input_files(str(DATA / "alipay_2026-06.gbk.csv"))
    app.get_by_role("button", name="Preview").click()
    expect(app.locator("[data-figure=encoding]")).to_have_text("GBK")
    app.get_by_label("Category 9").select_option("Income:Personal:Other")
    app.get_by_role("button", name="Book these rows").click()
    expect(app.locator("[data-figure=booked]")).to_have_text("5")

    # The report: this month's expenses are the three typed; June has the statement's.
    app.get_by_role("link", name="Reports").click()
    app.locator("#pnl-chart canvas").first.wait_for()
    app.locator("#spending-chart canvas").first.wait_for()
    expect(app.locator(f"td[data-month='{month}']")).to_have_text(str(-Decimal("1555.80")))
    expect(app.locator("td[data-month='2026-06']")).to_have_text(
        str(Decimal("200.00") - Decimal("191.30"))
    )
