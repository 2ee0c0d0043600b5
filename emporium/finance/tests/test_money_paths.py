"""Money paths of finance: no float gets in, accounts are asked for by name, payouts keep one rule."""

from decimal import Decimal

import pytest

from emporium.finance import ledger, payouts, wallets
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.ledger import Leg
from emporium.finance.models import Account, Posting, Withdrawal
from emporium.finance.payments import WalletPayment
from emporium.lib.money import FloatRefused

D = Decimal


def earn(seller, amount: str = "100.00") -> None:
    ledger.post(
        Posting.Reason.TOP_UP,
        f"test:{seller.pk}",
        [Leg(ledger.top_ups(), -D(amount)), Leg(ledger.seller_balance(seller), D(amount))],
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda buyer, seller: ledger.post(
            Posting.Reason.TOP_UP,
            "float",
            [Leg(ledger.top_ups(), -10.0), Leg(ledger.wallet(buyer), 10.0)],
        ),
        lambda buyer, seller: wallets.start_top_up(buyer, 10.0),
        lambda buyer, seller: wallets.withdraw(seller, 10.0, "6222"),
        lambda buyer, seller: WalletPayment().pay(buyer, 10.0, "orders:1"),
        lambda buyer, seller: check_amount(10.0),
        lambda buyer, seller: payouts.pay_out(
            ledger.seller_balance(seller),
            10.0,
            "6222",
            reason=Posting.Reason.WITHDRAWAL,
            reference="float",
            shortfall="short",
        ),
    ],
    ids=["ledger.post", "top_up", "withdraw", "wallet payment", "check_amount", "pay_out"],
)
def test_a_float_is_refused_with_a_clear_error_and_nothing_moves(buyer, seller, call):
    earn(seller)
    postings = Posting.objects.count()
    with pytest.raises(FloatRefused, match="never a float"):
        call(buyer, seller)
    assert Posting.objects.count() == postings
    assert ledger.balance_of(ledger.wallet_code(buyer)) == 0
    assert ledger.balance_of(ledger.seller_code(seller)) == D("100.00")


def test_accounts_are_opened_by_name_with_their_kind_and_owner(buyer, seller, developer):
    named = {
        ledger.wallet(buyer): (f"wallet:{buyer.pk}", Account.Kind.WALLET, buyer),
        ledger.seller_balance(seller): (f"seller:{seller.pk}", Account.Kind.SELLER, seller),
        ledger.developer_payable(developer): (f"isv:{developer.pk}", Account.Kind.ISV, developer),
        ledger.escrow(): ("escrow", Account.Kind.ESCROW, None),
        ledger.commission_revenue(): ("revenue:commission", Account.Kind.REVENUE, None),
        ledger.app_revenue(): ("revenue:apps", Account.Kind.REVENUE, None),
        ledger.top_ups(): ("external:top-ups", Account.Kind.EXTERNAL, None),
        ledger.payouts(): ("external:payouts", Account.Kind.EXTERNAL, None),
    }
    for account, (code, kind, owner) in named.items():
        assert (account.code, account.kind, account.owner) == (code, kind, owner)
    assert ledger.seller_code(seller.pk) == ledger.seller_code(seller) == f"seller:{seller.pk}"
    assert ledger.wallet(buyer) == ledger.wallet(buyer)  # opened once


def test_reading_a_balance_opens_no_account(seller):
    assert ledger.balance_of(ledger.seller_code(seller)) == D("0.00")
    assert not Account.objects.exists()


def test_a_withdrawal_keeps_the_bank_account_it_was_given_or_refuses_it(seller, books_balance):
    earn(seller)
    with pytest.raises(FinanceError) as refused:
        wallets.withdraw(seller, D("10.00"), "6" * 61)
    assert (refused.value.code, refused.value.field) == ("bad_bank_account", "bank_account")
    done = wallets.withdraw(seller, D("10.00"), "  6222 0000 1111  ")
    assert (done.amount, done.bank_account) == (D("10.00"), "6222 0000 1111")
    assert ledger.balance_of(ledger.PAYOUTS_IN_TRANSIT) == D("10.00")  # until the bank answers
    assert Withdrawal.objects.count() == 1
    books_balance()


def test_a_withdrawal_takes_decimal_text_too(seller):
    earn(seller)
    assert wallets.withdraw(seller, "12.5", "6222").amount == D("12.50")
