"""The seller's money: balance, settlements read from the ledger, fees per month, withdrawals."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.finance import ledger
from emporium.finance.models import Withdrawal
from emporium.finance.notifications import run_sandbox_bank
from emporium.finance.wallets import withdraw
from emporium.trade import refunds

from .helpers import seller_balance, settle

FINANCE = reverse("sellercenter:finance")
SETTLEMENTS = reverse("sellercenter:settlements")


@pytest.fixture
def earned(paid_order):
    """Mei's 199.00 dress settled: 9.95 (5%) to the marketplace, 189.05 to her balance."""
    return settle(paid_order)


def test_the_balance_is_the_sellers_ledger_account(seller_client, earned, seller):
    response = seller_client.get(FINANCE)
    assert response.context["balance"] == Decimal("189.05") == seller_balance(seller)
    assert 'data-testid="balance">¥189.05<' in response.content.decode()


def test_a_new_seller_has_nothing_yet(seller_client, seller):
    response = seller_client.get(FINANCE)
    assert response.context["balance"] == Decimal("0.00")
    assert "No settled orders yet." in response.content.decode()
    assert not seller_client.get(SETTLEMENTS).context["rows"]


def test_settlements_show_gross_commission_and_net_per_order(
    seller_client, earned, buy, item, funded_buyer
):
    blue_m = item.skus.last()
    refunded = buy((blue_m, 1))
    refunds.agree(refunds.request_refund(refunded, funded_buyer, Decimal("2.00"), "Scuffed box"))
    settle(refunded)
    rows = seller_client.get(SETTLEMENTS).context["rows"]
    assert [(r.number, r.gross, r.commission, r.net) for r in rows] == [
        (refunded.number, Decimal("200.00"), Decimal("10.00"), Decimal("190.00")),
        (earned.number, Decimal("199.00"), Decimal("9.95"), Decimal("189.05")),
    ]
    assert rows[0].order == refunded
    page = seller_client.get(SETTLEMENTS).content.decode()
    assert reverse("sellercenter:order", args=[earned.public_id]) in page


def test_another_sellers_settlements_stay_theirs(seller_client, other_shop, make_item, buy, earned):
    settle(buy((make_item(other_shop, title="Otto's phone", price="500.00").skus.get(), 1)))
    rows = seller_client.get(SETTLEMENTS).context["rows"]
    assert [r.number for r in rows] == [earned.number]


def test_fees_are_summed_per_month_of_settlement_in_the_sellers_zone(
    seller_client, frozen_clock, buy, item
):
    red_s = item.skus.first()
    settle(buy((red_s, 1)))  # 1 June
    settle(buy((red_s, 2)))  # 1 June
    # 20:00 UTC on 30 June is already 1 July in Shanghai.
    frozen_clock.set_time(datetime(2026, 6, 30, 20, 0, tzinfo=UTC))
    settle(buy((red_s, 1)))
    fees = seller_client.get(FINANCE).context["fees"]
    assert [(f["month"].strftime("%Y-%m"), f["orders"], f["gross"], f["commission"], f["net"])
            for f in fees] == [
        ("2026-07", 1, Decimal("199.00"), Decimal("9.95"), Decimal("189.05")),
        ("2026-06", 2, Decimal("597.00"), Decimal("29.85"), Decimal("567.15")),
    ]  # fmt: skip
    assert 'data-testid="fee-2026-06">¥29.85<' in seller_client.get(FINANCE).content.decode()


def test_a_withdrawal_moves_money_to_the_bank(seller_client, earned, seller, books_balance):
    response = seller_client.post(FINANCE, {"amount": "100.00", "bank_account": "6222 0000 1111"})
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.seller, withdrawal.amount, withdrawal.bank_account) == (
        seller,
        Decimal("100.00"),
        "6222 0000 1111",
    )
    assert seller_balance(seller) == Decimal("89.05")
    assert ledger.balance_of(ledger.PAYOUTS_IN_TRANSIT) == Decimal("100.00")
    assert "on its way" in seller_client.get(FINANCE).content.decode()
    run_sandbox_bank()  # the payout provider confirms
    assert ledger.balance_of(ledger.PAYOUTS) == Decimal("100.00")
    page = seller_client.get(FINANCE).content.decode()
    assert "6222 0000 1111" in page and "¥89.05" in page and ">paid<" in page.lower()
    books_balance()


def test_withdrawing_more_than_the_balance_is_refused(seller_client, earned, seller, books_balance):
    response = seller_client.post(FINANCE, {"amount": "189.06", "bank_account": "6222"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["Your balance is less than that."]}
    assert not Withdrawal.objects.exists()
    assert seller_balance(seller) == Decimal("189.05")
    books_balance()


def test_the_whole_balance_can_be_withdrawn(seller_client, earned, seller):
    seller_client.post(FINANCE, {"amount": "189.05", "bank_account": "6222"})
    assert seller_balance(seller) == Decimal("0.00")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "0.50", "bank_account": "6222"}, "amount"),
        ({"amount": "1.234", "bank_account": "6222"}, "amount"),
        ({"amount": "abc", "bank_account": "6222"}, "amount"),
        ({"amount": "10", "bank_account": "  "}, "bank_account"),
        ({"amount": "10", "bank_account": "6" * 61}, "bank_account"),
    ],
)
def test_bad_withdrawals_name_the_field(seller_client, earned, seller, data, field):
    response = seller_client.post(FINANCE, data)
    assert list(response.context["form"].errors) == [field]
    assert not Withdrawal.objects.exists()
    assert seller_balance(seller) == Decimal("189.05")


def test_a_seller_without_earnings_cannot_withdraw(seller_client, seller):
    response = seller_client.post(FINANCE, {"amount": "10", "bank_account": "6222"})
    assert "amount" in response.context["form"].errors
    assert not Withdrawal.objects.exists()


def test_only_my_withdrawals_are_listed(
    seller_client, earned, other_seller, other_shop, make_item, buy
):
    settle(buy((make_item(other_shop, title="Otto's phone", price="500.00").skus.get(), 1)))
    withdraw(other_seller, Decimal("50.00"), "OTTO-BANK")
    page = seller_client.get(FINANCE)
    assert list(page.context["withdrawals"]) == []
    assert "OTTO-BANK" not in page.content.decode()


def test_settlements_page_by_fifty(seller_client, frozen_clock, buy, shop, make_item):
    sku = make_item(shop, price="10.00", stock=100).skus.get()
    for _ in range(51):
        settle(buy((sku, 1)))
        frozen_clock.advance(timedelta(seconds=1))
    assert len(seller_client.get(SETTLEMENTS).context["rows"]) == 50
    assert len(seller_client.get(SETTLEMENTS, {"page": 2}).context["rows"]) == 1
