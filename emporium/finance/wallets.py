"""Wallet top-ups through a payment provider, and seller withdrawals to a bank account.

A top-up is an intent first (`start_top_up`); the wallet is credited only when the provider's
signed notification says it was paid (`apply_top_up`), once, for exactly the intent's amount.
"""

import time
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from emporium.finance import gateway, ledger, sandbox
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.balance import returnable
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting, TopUp, Withdrawal
from emporium.finance.payouts import MIN_PAYOUT, pay_out
from emporium.finance.providers import BadNotification, Notification
from emporium.lib import clock, money
from emporium.members.models import Member

MAX_TOP_UP = Decimal("50000.00")
MIN_WITHDRAWAL = MIN_PAYOUT

__all__ = [
    "MAX_TOP_UP",
    "MIN_WITHDRAWAL",
    "FinanceError",
    "apply_top_up",
    "fund_in_sandbox",
    "start_top_up",
    "withdraw",
]


def start_top_up(member: Member, amount: str | Decimal) -> tuple[TopUp, str]:
    """A payment intent for `amount` and the provider's page where the member pays it.
    No money moves here."""
    checked = check_amount(amount, high=MAX_TOP_UP)
    provider = gateway.top_up_provider()
    top_up = TopUp.objects.create(
        member=member, amount=checked, provider=provider.name, created_at=clock.now()
    )
    return top_up, provider.start_top_up(top_up)


@transaction.atomic
def apply_top_up(provider: str, notice: Notification) -> TopUp:
    """What a verified notification says about a top-up: credit the wallet once, or mark it failed.

    Idempotent: a notification about a finished intent changes nothing (providers resend)."""
    top_up = TopUp.objects.select_for_update().filter(public_id=notice.intent).first()
    if top_up is None or top_up.provider != provider:
        raise BadNotification("no such top-up", "unknown_intent")
    if notice.amount != top_up.amount or notice.currency != top_up.currency:
        raise BadNotification("the amount does not match the top-up", "amount_mismatch")
    if top_up.status != TopUp.Status.PENDING:
        return top_up
    if notice.outcome == "succeeded":
        top_up.posting = ledger.post(
            Posting.Reason.TOP_UP,
            f"top-up:{top_up.public_id}",
            [
                Leg(ledger.top_ups(), -top_up.amount),
                Leg(ledger.wallet(top_up.member), top_up.amount),
            ],
        )
        top_up.status = TopUp.Status.SUCCEEDED
    else:
        top_up.status = TopUp.Status.FAILED
    top_up.finished_at = clock.now()
    top_up.save(update_fields=["posting", "status", "finished_at"])
    return top_up


def fund_in_sandbox(member: Member, amount: str | Decimal) -> TopUp:
    """Demo and tests: a top-up the sandbox pays at once, through its signed notification.
    Refused (FinanceError) unless PAYMENTS_SANDBOX is on."""
    top_up, _page = start_top_up(member, amount)
    if top_up.provider != sandbox.NAME:
        raise FinanceError(_("Only the sandbox pays without a card."), "not_sandbox")
    body, headers = sandbox.card_outcome(top_up, paid=True)
    return apply_top_up(sandbox.NAME, sandbox.PROVIDER.verify(body, headers, time.time()))


@transaction.atomic
def withdraw(seller: Member, amount: str | Decimal, bank_account: str) -> Withdrawal:
    """The seller's earned balance out to their bank account, through the payout provider; what
    orders inside their return window brought stays until the window closes."""
    kept = returnable(seller.pk)
    if kept:
        wanted = check_amount(amount, low=MIN_PAYOUT)
        free = ledger.balance_of(ledger.seller_code(seller)) - kept
        if wanted > free:
            raise FinanceError(
                _(
                    "%(kept)s of your balance comes from orders still inside their return window; "
                    "you can withdraw up to %(free)s now."
                )
                % {"kept": f"¥{kept:,.2f}", "free": f"¥{max(free, money.ZERO):,.2f}"},
                "in_return_window",
                "amount",
            )
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
