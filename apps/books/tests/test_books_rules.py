"""The booking rules: each movement of the shop's balance is one balanced entry, booked once."""

from decimal import Decimal

import pytest
from emporium_books import books
from emporium_books.store import Leg, Unbalanced
from emporium_sdk.models import BalanceTransactionOut


def money(amount: str) -> dict:
    return {"amount": amount, "currency": "CNY"}


def movement(n: int, kind: str, amount: str, after: str, **extra) -> BalanceTransactionOut:
    return BalanceTransactionOut.model_validate(
        {"id": f"btx_{n}", "type": kind, "amount": money(amount), "balance_after": money(after),
         "created_at": "2026-05-31T23:30:00Z", "reference": f"ref:{n}", "description": "",
         **extra}
    )  # fmt: skip


def history() -> list[BalanceTransactionOut]:
    return [
        movement(1, "settlement", "189.05", "189.05", order_number="A1",
                 gross=money("199.00"), commission=money("9.95")),
        movement(2, "app_charge", "-30.00", "159.05", description="Stats: May"),
        movement(3, "app_refund", "10.00", "169.05"),
        movement(4, "withdrawal", "-100.00", "69.05"),
    ]  # fmt: skip


def test_each_movement_is_booked_balanced_and_the_platform_balance_matches(store):
    for row in history():
        assert books.record(store, "shop-1", row)
    balances = store.balances("shop-1")
    assert (
        balances[books.PLATFORM_BALANCE]
        == Decimal("69.05")
        == Decimal(history()[-1].balance_after.amount)
    )
    assert (balances[books.SALES], balances[books.COMMISSION]) == (
        Decimal("-199.00"),
        Decimal("9.95"),
    )
    assert (balances[books.APPS], balances[books.BANK]) == (Decimal("20.00"), Decimal("100.00"))
    assert sum(balances.values()) == 0
    for txn in store.transactions("shop-1"):
        assert sum(leg.amount for leg in txn.legs) == 0


def test_a_replay_books_nothing_twice(store):
    for row in history():
        books.record(store, "shop-1", row)
    before = store.balances("shop-1")
    assert not any(books.record(store, "shop-1", row) for row in history())
    assert store.balances("shop-1") == before
    assert len(store.transactions("shop-1")) == 4


def test_the_same_movement_in_another_shop_is_that_shops_own(store):
    store.save_shop("shop-2", "Other")
    books.record(store, "shop-1", history()[0])
    assert books.record(store, "shop-2", history()[0])
    assert store.balances("shop-2")[books.PLATFORM_BALANCE] == Decimal("189.05")


def test_a_return_after_settlement_gives_the_fee_back_to_the_commission_account(store):
    """199.00 settled (9.95 fee), then 100.00 returned with 5.00 of the fee given back: the
    balance pays 95.00, refunds get the 100.00 the buyer got, commission falls to 4.95."""
    books.record(store, "shop-1", history()[0])
    returned = movement(5, "refund", "-95.00", "94.05", order_number="A1",
                        gross=money("100.00"), commission=money("5.00"))  # fmt: skip
    assert books.record(store, "shop-1", returned)
    assert not books.record(store, "shop-1", returned)  # by its id, once
    balances = store.balances("shop-1")
    assert (balances[books.REFUNDS], balances[books.COMMISSION]) == (
        Decimal("100.00"), Decimal("4.95"),
    )  # fmt: skip
    assert balances[books.PLATFORM_BALANCE] == Decimal("94.05")
    assert sum(balances.values()) == 0


def test_a_return_without_a_fee_back_or_from_an_older_platform_is_all_refund(store):
    nothing_back = movement(
        6,
        "refund",
        "-0.01",
        "-0.01",
        order_number="A2",
        gross=money("0.01"),
        commission=money("0.00"),
    )
    unsaid = movement(7, "refund", "-30.00", "-30.01", order_number="A3")  # fmt: skip
    for row in (nothing_back, unsaid):
        assert books.record(store, "shop-1", row)
    balances = store.balances("shop-1")
    assert balances[books.REFUNDS] == Decimal("30.01")
    assert balances.get(books.COMMISSION, Decimal("0.00")) == 0
    assert all(len(txn.legs) == 2 for txn in store.transactions("shop-1"))


def test_an_unknown_type_is_refused_and_nothing_is_written(store):
    with pytest.raises(books.UnknownMovement, match="btx_9"):
        books.record(store, "shop-1", movement(9, "gift", "5.00", "5.00"))
    assert store.transactions("shop-1") == []


def test_an_unbalanced_entry_is_never_written(store):
    with pytest.raises(Unbalanced):
        store.record("shop-1", source="x", day="2026-06-01", narration="bad", book="business",
                     legs=[Leg(books.BANK, Decimal("1.00")), Leg(books.SALES, Decimal("-0.99"))])  # fmt: skip
    assert store.transactions("shop-1") == []


def test_forgetting_a_shop_erases_its_books(store):
    books.record(store, "shop-1", history()[0])
    store.forget("shop-1")
    assert store.shop("shop-1") is None and store.transactions("shop-1") == []


def bean_check(tmp_path, text: str) -> None:
    """`bean-check` itself, as a seller opening the export in Fava would run it."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    ledger = tmp_path / "books.beancount"
    ledger.write_text(text, encoding="utf-8")
    tool = shutil.which("bean-check") or str(Path(sys.executable).parent / "bean-check")
    checked = subprocess.run([tool, str(ledger)], capture_output=True, text=True, check=False)  # noqa: S603
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_beancount_export_passes_bean_check_and_keeps_each_figure(store, tmp_path):
    from emporium_books.export import beancount

    for row in history():
        books.record(store, "shop-1", row)
    store.record("shop-1", source=None, day="2026-06-01", narration='Rent "June"', book="personal",
                 legs=[Leg("Expenses:Personal:Rent", Decimal("1500.00")),
                       Leg("Assets:Personal:Bank", Decimal("-1500.00"))])  # fmt: skip
    text = beancount(store, "shop-1", "Mei's")
    bean_check(tmp_path, text)
    assert 'source: "btx_1"' in text and "Assets:Business:Platform:Balance  189.05 CNY" in text


def test_bean_check_would_catch_an_unbalanced_export(tmp_path):
    import pytest as _pytest

    broken = ('2000-01-01 open Assets:A CNY\n2000-01-01 open Income:B CNY\n\n'
              '2026-06-01 * "x"\n  Assets:A  1.00 CNY\n  Income:B  -0.99 CNY\n')  # fmt: skip
    with _pytest.raises(AssertionError):
        bean_check(tmp_path, broken)
