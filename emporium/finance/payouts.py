"""Money leaving the platform for a bank account: seller withdrawals and developer payouts alike.

One flow and one rule for both: at least MIN_PAYOUT, at most what the account holds, and a bank
account of 1 to MAX_BANK_ACCOUNT characters (spaces around it dropped, never silently cut).
The transfer goes through the payout provider (finance/gateway): asked for, the money moves to
`transit:payouts`; the provider's signed notification then sends it out (`external:payouts`) or,
if the bank refused, back to the account it came from (`apply_payout`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.finance import gateway, ledger
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Account, PayoutTransfer, Posting
from emporium.finance.providers import BadNotification, Notification
from emporium.lib import clock

MIN_PAYOUT = Decimal("1.00")
MAX_BANK_ACCOUNT = 60


@dataclass(frozen=True)
class PaidOut:
    posting: Posting
    transfer: PayoutTransfer
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
    provider = gateway.payout_provider()
    try:
        posting = ledger.post(
            reason, reference, [Leg(source, -checked), Leg(ledger.payouts_in_transit(), checked)]
        )
    except InsufficientFunds:
        raise FinanceError(shortfall, "insufficient_funds", "amount") from None
    transfer = PayoutTransfer.objects.create(
        source=source, amount=checked, bank_account=bank, provider=provider.name,
        posting=posting, created_at=clock.now(),
    )  # fmt: skip
    provider.start_payout(transfer)
    return PaidOut(posting, transfer, checked, bank)


@transaction.atomic
def apply_payout(provider: str, notice: Notification) -> PayoutTransfer:
    """What a verified notification says about a payout: out of the platform, or back home.

    Idempotent: a notification about a finished transfer changes nothing."""
    transfer = PayoutTransfer.objects.select_for_update().filter(public_id=notice.intent).first()
    if transfer is None or transfer.provider != provider:
        raise BadNotification("no such payout", "unknown_intent")
    if notice.amount != transfer.amount or notice.currency != transfer.currency:
        raise BadNotification("the amount does not match the payout", "amount_mismatch")
    if transfer.status != PayoutTransfer.Status.PENDING:
        return transfer
    reference = f"payout:{transfer.public_id}"
    if notice.outcome == "paid":
        to, reason, status = ledger.payouts(), Posting.Reason.PAYOUT_SENT, transfer.Status.PAID
    else:
        to, reason, status = transfer.source, Posting.Reason.PAYOUT_RETURNED, transfer.Status.FAILED
    legs = [Leg(ledger.payouts_in_transit(), -transfer.amount), Leg(to, transfer.amount)]
    transfer.finish_posting = ledger.post(reason, reference, legs)
    transfer.status, transfer.finished_at = status, clock.now()
    transfer.save(update_fields=["finish_posting", "status", "finished_at"])
    return transfer
