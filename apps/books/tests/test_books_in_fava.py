"""The beancount export opens in Fava, as a seller would open it: no errors, and Fava's own query
gives each account the balance the books show."""

from decimal import Decimal

from emporium_books import books
from emporium_books.export import beancount
from emporium_books.store import Leg, Store
from emporium_sdk.models import BalanceTransactionOut
from fava.application import create_app


def movement(n: int, kind: str, amount: str, after: str, **extra) -> BalanceTransactionOut:
    money = lambda value: {"amount": value, "currency": "CNY"}  # noqa: E731
    return BalanceTransactionOut.model_validate(
        {"id": f"btx_{n}", "type": kind, "amount": money(amount), "balance_after": money(after),
         "created_at": "2026-05-31T23:30:00Z", "reference": f"ref:{n}", "description": "",
         **{k: money(v) if k in ("gross", "commission") else v for k, v in extra.items()}}
    )  # fmt: skip


def a_month(tmp_path) -> Store:
    """A settlement, an app charge and its partial refund, a withdrawal; and the rent at home."""
    store = Store(tmp_path / "books.sqlite3")
    store.save_shop("shop-1", "Mei's Closet")
    store.open_accounts("shop-1", books.CHART)
    for row in [
        movement(1, "settlement", "189.05", "189.05", order_number="A1", gross="199.00",
                 commission="9.95"),
        movement(2, "app_charge", "-30.00", "159.05", description="Stats: May"),
        movement(3, "app_refund", "10.00", "169.05"),
        movement(4, "withdrawal", "-100.00", "69.05"),
    ]:  # fmt: skip
        books.record(store, "shop-1", row)
    store.record("shop-1", source=None, day="2026-06-01", narration="房租 六月", book="personal",
                 legs=[Leg("Expenses:Personal:Rent", Decimal("1500.00")),
                       Leg("Assets:Personal:Bank", Decimal("-1500.00"))])  # fmt: skip
    return store


def open_in_fava(tmp_path, text: str):
    ledger = tmp_path / "books.beancount"
    ledger.write_text(text, encoding="utf-8")
    app = create_app([str(ledger)])
    client = app.test_client()
    opened = client.get("/")  # Fava sends a visitor to the ledger's first page
    assert opened.status_code == 302
    slug = opened.headers["location"].strip("/").split("/")[0]
    return app.config["LEDGERS"][slug], client, slug


def balances(client, slug: str) -> dict[str, Decimal]:
    answer = client.get(
        f"/{slug}/api/query",
        query_string={"query_string": "SELECT account, sum(position) GROUP BY account"},
    )
    assert answer.status_code == 200
    rows = answer.get_json()["data"]["rows"]
    return {account: Decimal(str(held.get("CNY", 0))) for account, held in rows}


def test_the_export_opens_in_fava_without_errors_and_with_the_same_balances(tmp_path):
    store = a_month(tmp_path)
    ledger, client, slug = open_in_fava(tmp_path, beancount(store, "shop-1", "Mei's Closet"))

    assert ledger.errors == []
    assert client.get(f"/{slug}/income_statement/").status_code == 200
    shown = balances(client, slug)
    assert shown == {
        account: amount for account, amount in store.balances("shop-1").items() if amount
    }
    assert shown[books.PLATFORM_BALANCE] == Decimal("69.05")
    assert shown["Expenses:Personal:Rent"] == Decimal("1500.00")
    assert sum(shown.values()) == 0  # every transaction balances


def test_fava_reports_a_broken_file(tmp_path):
    broken = ('2000-01-01 open Assets:A CNY\n2000-01-01 open Income:B CNY\n\n'
              '2026-06-01 * "x"\n  Assets:A  1.00 CNY\n  Income:B  -0.99 CNY\n')  # fmt: skip
    ledger, _client, _slug = open_in_fava(tmp_path, broken)
    assert ledger.errors
