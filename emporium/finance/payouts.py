"""Money leaving the platform for a bank account: seller withdrawals and developer payouts alike.

One flow and one rule for both: at least MIN_PAYOUT, at most what the account holds, and a bank
account of 1 to MAX_BANK_ACCOUNT characters (spaces around it dropped, never silently cut).
The transfer itself is simulated: the posting credits `external:payouts`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.finance import ledger
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Account, Posting

MIN_PAYOUT = Decimal("1.00")
MAX_BANK_ACCOUNT = 60


@dataclass(frozen=True)
class PaidOut:
    posting: Posting
    amount: Decimal
    bank_account: str


def check_bank_account(raw: str | None) -> str:
    bank_account = (raw or "").strip()
    if not bank_account:
        raise FinanceError(
            _("Give the bank account to pay into."), "bank_account_required", "bank_account"
        )
    if len(bank_account) > MAX_BANK_ACCOUNT:
        raise FinanceError(
            _("A bank account has at most %(n)s characters.") % {"n": MAX_BANK_ACCOUNT},
            "bad_bank_account",
            "bank_account",
        )
    return bank_account


@transaction.atomic
def pay_out(
    source: Account,
    amount: str | Decimal,
    bank_account: str | None,
    *,
    reason: str,
    reference: str,
    shortfall: str,
) -> PaidOut:
    """Move `amount` out of `source` to a bank account, or refuse (`shortfall` says, in the
    owner's words, that `source` holds less)."""
    checked = check_amount(amount, low=MIN_PAYOUT)
    bank = check_bank_account(bank_account)
    try:
        posting = ledger.post(
            reason, reference, [Leg(source, -checked), Leg(ledger.payouts(), checked)]
        )
    except InsufficientFunds:
        raise FinanceError(shortfall, "insufficient_funds", "amount") from None
    return PaidOut(posting, checked, bank)
