"""The rules that turn a member's marketplace orders into household expenses: once per order,
by China's calendar, reversed by what came back, nothing for an unpaid order or a stranger."""

from decimal import Decimal

import pytest
from emporium_books import books, purchases
from emporium_books.store import Store
from emporium_sdk.models import BuyerOrderOut

ORDER_ID = "5b0f1c1e-0000-4000-8000-000000000001"


@pytest.fixture
def store(store: Store) -> Store:
    purchases.open_tables(store)
    return store


def order(status: str = "paid", total: str = "199.00", refunded: str = "0.00", **times) -> dict:
    def money(amount: str) -> dict:
        return {"amount": amount, "currency": "CNY"}

    address = dict.fromkeys(["recipient", "phone", "province", "city", "district", "street",
                             "postal_code"], "")  # fmt: skip
    paid = None if status in ("pending_payment",) or times.get("unpaid") else "2026-05-31T23:30:00Z"
    return {
        "id": ORDER_ID, "number": "E20260531001", "status": status,
        "shop": {"id": "5b0f1c1e-0000-4000-8000-0000000000aa", "name": "Noah's Shoes"},
        "lines": [], "items_amount": money(total), "discount_amount": money("0.00"),
        "shipping_amount": money("0.00"), "total_amount": money(total),
        "refunded_amount": money(refunded), "address": address, "buyer_note": "", "carrier": "",
        "tracking_number": "", "placed_by_this_app": False, "created_at": "2026-05-31T23:00:00Z",
        "paid_at": paid, "shipped_at": None, "completed_at": None,
        "cancelled_at": "2026-06-03T02:00:00Z" if status == "cancelled" else None,
    }  # fmt: skip


def book(store: Store, data: dict) -> int:
    drafts = purchases.drafts_for(store, "shop-1", BuyerOrderOut.model_validate(data))
    return store.record_all("shop-1", drafts) if drafts else 0


def shopping(store: Store) -> Decimal:
    return store.balances("shop-1").get(purchases.SHOPPING, Decimal("0.00"))


def test_a_paid_order_is_one_household_expense_on_the_buyers_day_and_a_replay_books_nothing(store):
    assert book(store, order()) == 1
    assert book(store, order("shipped")) == 0  # a later event of the same order
    (txn,) = store.transactions("shop-1")
    assert txn.source == f"purchase:{ORDER_ID}" and txn.book == books.PERSONAL
    assert txn.day == "2026-06-01"  # 23:30 UTC on 31 May is 1 June in China
    assert "Noah's Shoes" in txn.narration
    assert shopping(store) == Decimal("199.00")
    assert store.balances("shop-1")[purchases.PAID_FROM] == Decimal("-199.00")


def test_an_unpaid_order_or_one_cancelled_unpaid_books_nothing(store):
    assert book(store, order("pending_payment")) == 0
    assert book(store, order("cancelled", unpaid=True)) == 0
    assert store.transactions("shop-1") == []


def test_refunds_reverse_what_came_back_each_step_once(store):
    book(store, order())
    assert book(store, order("shipped", refunded="50.00")) == 1
    assert book(store, order("shipped", refunded="50.00")) == 0  # the same refund again
    assert shopping(store) == Decimal("149.00")
    assert book(store, order("cancelled", refunded="199.00")) == 1  # the rest came back
    assert book(store, order("cancelled", refunded="199.00")) == 0
    assert shopping(store) == Decimal("0.00")
    reversals = [t for t in store.transactions("shop-1") if ":refund:" in (t.source or "")]
    by_refunded = {t.source.rsplit(":", 1)[-1]: t for t in reversals}
    assert set(by_refunded) == {"50.00", "199.00"}
    assert by_refunded["199.00"].day == "2026-06-03"  # the cancellation's day
    assert {leg.amount for leg in by_refunded["199.00"].legs} == {
        Decimal("-149.00"),
        Decimal("149.00"),
    }
    assert sum(store.balances("shop-1").values()) == 0


def test_an_order_seen_first_refunded_books_the_expense_and_its_reversal_together(store):
    assert book(store, order("cancelled", refunded="199.00")) == 2
    assert shopping(store) == Decimal("0.00")


def test_a_webhook_of_a_buyer_no_book_follows_books_nothing(store):
    event = {"buyer_id": "byr_stranger", "order": order()}
    assert purchases.on_event(store, event) == 0
    with store.connect() as db:
        db.execute("insert into buyer_link (buyer_id, shop_id) values ('byr_mei', 'shop-1')")
    assert purchases.on_event(store, event | {"buyer_id": "byr_mei"}) == 1
    assert purchases.on_event(store, {"buyer_id": "byr_mei", "order": "not an order"}) == 0
    assert shopping(store) == Decimal("199.00")
