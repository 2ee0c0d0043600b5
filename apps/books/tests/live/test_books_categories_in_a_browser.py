"""Playwright: a seller makes a category of her own in Books inside the seller center, renames it,
puts expenses in it and reads the month's spending by category, down to its transactions."""

from decimal import Decimal

import pytest
from books_live import open_books
from emporium_books import books
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)
FLOWERS = "Expenses:Personal:Flowers"


def test_a_seller_creates_renames_and_uses_her_own_category_then_sees_it_in_the_report(
    page, live_server, seller, shop, request
):
    books_app = request.getfixturevalue("books_app")
    app = open_books(page, seller)
    expect(app.get_by_role("heading", name="Record an expense")).to_be_visible()

    # Create: a household expense category named as she likes.
    app.get_by_role("link", name="Categories").click()
    app.get_by_label("Name", exact=True).fill("Flowers")
    app.get_by_role("combobox", name="Kind").select_option(label="Expense")
    app.get_by_role("combobox", name="Book").select_option(label="Household")
    app.get_by_role("button", name="Add").click()
    expect(app.get_by_role("status")).to_contain_text("Category added: Flowers")
    # The same name again is refused, beside the form.
    app.get_by_label("Name", exact=True).fill("flowers")
    app.get_by_role("combobox", name="Book").select_option(label="Household")
    app.get_by_role("button", name="Add").click()
    expect(app.get_by_role("alert")).to_contain_text("already a category with this name")

    # Rename: on its row; the account behind it stays.
    row = app.locator(f"tr[data-account='{FLOWERS}']")
    row.get_by_label("New name: Flowers").fill("Fresh flowers")
    row.get_by_role("button", name="Rename").click()
    expect(app.get_by_role("status")).to_contain_text("Category renamed: Fresh flowers")
    expect(app.locator(f"tr[data-account='{FLOWERS}'] td").first).to_contain_text("Fresh flowers")

    # Assign: two expenses go to the renamed category, one to Food, from the entry form.
    app.get_by_role("link", name="Today").click()
    for amount, category, memo in [("25.00", "Fresh flowers", "Tulips"),
                                   ("18.50", "Fresh flowers", "Roses"),
                                   ("32.80", "Food", "Lunch")]:  # fmt: skip
        app.locator("#amount").fill(amount)
        app.get_by_role("combobox", name="Category").select_option(label=category)
        app.locator("#memo").fill(memo)
        app.locator("#memo").press("Enter")
        expect(app.get_by_role("status")).to_contain_text("Saved")
        expect(app.locator("table.recent")).to_contain_text(memo)
    expect(app.locator("table.recent")).to_contain_text("Fresh flowers")

    # The report by category: her category under its new name, with the month's sum, and its
    # figure opens the transactions behind it.
    app.get_by_role("link", name="Reports").click()
    app.locator("#spending-chart canvas").first.wait_for()
    spending = app.locator("table.spending")
    expect(spending.get_by_role("link", name="Fresh flowers")).to_be_visible()
    expect(app.locator(f"td[data-spent='{FLOWERS}']")).to_have_text("43.50")
    expect(app.locator("td[data-spent='Expenses:Personal:Food']")).to_have_text("32.80")
    spending.get_by_role("link", name="Fresh flowers").click()
    journal = app.locator("main")
    expect(journal).to_contain_text("Tulips")
    expect(journal).to_contain_text("Roses")
    expect(journal).not_to_contain_text("Lunch")

    shop_id = str(shop.public_id)
    assert books_app.store.balances(shop_id)[FLOWERS] == Decimal("43.50")
    assert books_app.store.labels(shop_id) == {FLOWERS: "Fresh flowers"}
    month = books.today().strftime("%Y-%m")
    assert {t.narration for t in books_app.store.transactions(shop_id)
            if t.day.startswith(month) and t.source is None} == {"Tulips", "Roses", "Lunch"}  # fmt: skip
