"""Wallet top-ups (simulated card payments) and seller withdrawals to a bank account."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.finance import ledger
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Posting, Withdrawal
from emporium.lib import clock
from emporium.lib.errors import DomainError

MAX_TOP_UP = Decimal("50000.00")
MIN_WITHDRAWAL = Decimal("1.00")


class FinanceError(DomainError):
    def __init__(self, message: str, code: str, field: str | None = None):
        super().__init__(message, code=code, field=field)


def _check_amount(amount: Decimal, low: Decimal, high: Decimal | None = None) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise FinanceError(
            _("Enter an amount with at most two decimal places."), "bad_amount", "amount"
        )
    if amount < low or (high is not None and amount > high):
        raise FinanceError(
            _("Enter an amount between %(low)s and %(high)s.") % {"low": low, "high": high or "∞"},
            "bad_amount",
            "amount",
        )
    return amount


def top_up(member, amount: Decimal) -> Posting:
    """Simulated card payment into the wallet (a real gateway would confirm before this)."""
    _check_amount(amount, Decimal("0.01"), MAX_TOP_UP)
    return ledger.post(
        Posting.Reason.TOP_UP,
        f"member:{member.pk}",
        [Leg(ledger.account(ledger.TOP_UPS), -amount), Leg(ledger.wallet(member), amount)],
    )


@transaction.atomic
def withdraw(seller, amount: Decimal, bank_account: str) -> Withdrawal:
    _check_amount(amount, MIN_WITHDRAWAL)
    bank_account = bank_account.strip()
    if not bank_account:
        raise FinanceError(
            _("Give the bank account to pay into."), "bank_account_required", "bank_account"
        )
    try:
        posting = ledger.post(
            Posting.Reason.WITHDRAWAL,
            f"seller:{seller.pk}",
            [
                Leg(ledger.seller_balance(seller), -amount),
                Leg(ledger.account(ledger.PAYOUTS), amount),
            ],
        )
    except InsufficientFunds:
        raise FinanceError(
            _("Your balance is less than that."), "insufficient_funds", "amount"
        ) from None
    return Withdrawal.objects.create(
        seller=seller,
        amount=amount,
        bank_account=bank_account[:60],
        posting=posting,
        created_at=clock.now(),
    )
