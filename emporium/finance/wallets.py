"""Wallet top-ups (simulated card payments) and seller withdrawals to a bank account."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.finance import ledger
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting, Withdrawal
from emporium.finance.payouts import MIN_PAYOUT, pay_out
from emporium.lib import clock
from emporium.members.models import Member

MAX_TOP_UP = Decimal("50000.00")
MIN_WITHDRAWAL = MIN_PAYOUT

__all__ = ["MAX_TOP_UP", "MIN_WITHDRAWAL", "FinanceError", "top_up", "withdraw"]


def top_up(member: Member, amount: Decimal) -> Posting:
    """Simulated card payment into the wallet (a real gateway would confirm before this)."""
    amount = check_amount(amount, high=MAX_TOP_UP)
    return ledger.post(
        Posting.Reason.TOP_UP,
        f"member:{member.pk}",
        [Leg(ledger.top_ups(), -amount), Leg(ledger.wallet(member), amount)],
    )


@transaction.atomic
def withdraw(seller: Member, amount: str | Decimal, bank_account: str) -> Withdrawal:
    """The seller's earned balance out to their bank account."""
    paid = pay_out(
        ledger.seller_balance(seller),
        amount,
        bank_account,
        reason=Posting.Reason.WITHDRAWAL,
        reference=f"seller:{seller.pk}",
        shortfall=_("Your balance is less than that."),
    )
    return Withdrawal.objects.create(
        seller=seller,
        amount=paid.amount,
        bank_account=paid.bank_account,
        posting=paid.posting,
        created_at=clock.now(),
    )
