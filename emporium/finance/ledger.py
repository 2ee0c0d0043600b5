"""Double-entry bookkeeping: every movement of money is a posting whose entries sum to zero.

Account codes are made here and nowhere else: ask for an account by what it is
(`seller_balance(member)`, `developer_payable(member)`, `escrow()` ...), or for its code
(`seller_code(member)`) where only a read is needed and no account should be opened.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from emporium.events import announce
from emporium.finance.models import Account, Entry, Posting
from emporium.lib import clock, money
from emporium.lib.errors import DomainError
from emporium.members.models import Member

# Money held for somebody can never go below zero; only the external world can.
NEVER_NEGATIVE = {
    Account.Kind.WALLET,
    Account.Kind.SELLER,
    Account.Kind.ESCROW,
    Account.Kind.ISV,
    Account.Kind.TRANSIT,
    Account.Kind.HELD,
}

ESCROW = "escrow"
COMMISSION = "revenue:commission"
HELD_COMMISSION = "held:commission"
APP_REVENUE = "revenue:apps"
TOP_UPS = "external:top-ups"
PAYOUTS = "external:payouts"
PAYOUTS_IN_TRANSIT = "transit:payouts"


class LedgerError(ValueError):
    """A posting that would not balance or is malformed — a bug, never a user error."""


class InsufficientFunds(DomainError):
    """An account that must stay positive does not hold enough."""

    def __init__(self, account: Account, needed: Decimal):
        message = f"{account.code} holds less than {needed}"
        super().__init__(message, code="insufficient_funds")
        self.account = account
        self.needed = needed


def _kind_of(code: str) -> str:
    prefix = code.split(":", 1)[0]
    return {"revenue": Account.Kind.REVENUE}.get(prefix, prefix)


def account(code: str, owner: Member | None = None) -> Account:
    """The account with this code, opened on first use (`wallet:<member id>`, `escrow`, ...)."""
    found = Account.objects.filter(code=code).first()
    if found:
        return found
    return Account.objects.get_or_create(
        code=code, defaults={"kind": _kind_of(code), "owner": owner}
    )[0]


# --- the accounts, by name ------------------------------------------------------------------


def _member_id(member: Member | int) -> int:
    return member if isinstance(member, int) else member.pk


def wallet_code(member: Member | int) -> str:
    return f"wallet:{_member_id(member)}"


def seller_code(member: Member | int) -> str:
    """The seller balance's code; give the member or, to spare a query, `shop.owner_id`."""
    return f"seller:{_member_id(member)}"


def developer_code(member: Member | int) -> str:
    return f"isv:{_member_id(member)}"


def wallet(member: Member) -> Account:
    """A buyer's platform wallet."""
    return account(wallet_code(member), owner=member)


def seller_balance(member: Member) -> Account:
    """What a shop's owner has earned from settled orders and not yet withdrawn."""
    return account(seller_code(member), owner=member)


def developer_payable(member: Member) -> Account:
    """What the platform owes an app developer (their share of app charges), until paid out."""
    return account(developer_code(member), owner=member)


def escrow() -> Account:
    return account(ESCROW)


def commission_revenue() -> Account:
    """The platform's commission on settled orders."""
    return account(COMMISSION)


def held_commission() -> Account:
    """The platform's commission on settled orders whose return window is still open: a
    return inside the window gives its share back to the seller; afterwards it is revenue."""
    return account(HELD_COMMISSION)


def app_revenue() -> Account:
    """The platform's commission on app charges."""
    return account(APP_REVENUE)


def top_ups() -> Account:
    """The outside world's side of money paid into wallets."""
    return account(TOP_UPS)


def payouts() -> Account:
    """The outside world's side of money paid out to bank accounts."""
    return account(PAYOUTS)


def payouts_in_transit() -> Account:
    """Money asked out to a bank account whose payout provider has not yet said paid or failed."""
    return account(PAYOUTS_IN_TRANSIT)


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: Decimal

    def __post_init__(self) -> None:
        money.exact(self.amount, f"the amount for {self.account.code}")


@transaction.atomic
def post(reason: str, reference: str, legs: list[Leg], memo: str = "") -> Posting:
    """Record a balanced posting and move the balances; all of it or nothing."""
    legs = [leg for leg in legs if leg.amount != 0]
    if len(legs) < 2:
        raise LedgerError("a posting needs at least two non-zero legs")
    for leg in legs:
        if not money.is_cents(leg.amount):
            raise LedgerError(f"{leg.amount} has more than two decimal places")
    if sum(leg.amount for leg in legs) != 0:
        raise LedgerError(f"posting {reason} {reference} does not balance")
    posting = Posting.objects.create(
        reason=reason, reference=reference, memo=memo, created_at=clock.now()
    )
    after = _move_balances(legs)
    entries = Entry.objects.bulk_create(
        Entry(posting=posting, account=leg.account, amount=leg.amount, balance_after=balance)
        for leg, balance in zip(legs, after, strict=True)
    )
    amounts = {leg.account.code: leg.amount for leg in legs}
    for entry in entries:
        if entry.account.kind == Account.Kind.SELLER:
            announce.balance_moved(entry, amounts)
    return posting


def _move_balances(legs: list[Leg]) -> list[Decimal]:
    """Read, check and write each balance as an exact Decimal under a row lock; the balance
    after each leg, in the legs' order.

    Arithmetic stays in Python because SQLite adds and compares decimals as binary floats
    (a balance of 179.91 could compare below 179.91). Locks are taken in key order so two
    postings over the same accounts never deadlock; on SQLite the IMMEDIATE transaction
    already makes writers take turns.
    """
    ids = sorted({leg.account.pk for leg in legs})
    locked = {
        a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    after = []
    for leg in legs:
        target = locked[leg.account.pk]
        new_balance = target.balance + leg.amount
        if new_balance < 0 and target.kind in NEVER_NEGATIVE:
            raise InsufficientFunds(target, -leg.amount)
        target.balance = new_balance
        leg.account.balance = new_balance
        after.append(new_balance)
    Account.objects.bulk_update(locked.values(), ["balance"])
    return after


def balance_of(code: str) -> Decimal:
    """The balance of the account with this code; zero (and nothing opened) if it has none."""
    found = Account.objects.filter(code=code).values_list("balance", flat=True).first()
    return found if found is not None else money.ZERO


@dataclass
class LedgerReport:
    problems: list[str]
    accounts: int
    postings: int
    total: Decimal

    @property
    def ok(self) -> bool:
        return not self.problems


def check_books() -> LedgerReport:
    """Every posting balances, the books sum to zero, every balance equals its entries."""
    problems = []
    unbalanced = Entry.objects.values("posting_id").annotate(total=Sum("amount")).exclude(total=0)
    # SQLite sums decimals as floats, so totals are rounded back to cents before comparing.
    for row in unbalanced.iterator():
        if money.cents_or_zero(row["total"]) != 0:
            problems.append(f"posting {row['posting_id']} sums to {row['total']}, not 0")
    sums = {
        account_id: money.cents_or_zero(total)
        for account_id, total in Entry.objects.values_list("account_id").annotate(
            total=Sum("amount")
        )
    }
    total = Decimal("0.00")
    accounts = 0
    for acc in Account.objects.all():
        accounts += 1
        total += acc.balance
        from_entries = sums.get(acc.pk) or Decimal("0.00")
        if acc.balance != from_entries:
            problems.append(
                f"{acc.code} balance {acc.balance} but its entries sum to {from_entries}"
            )
        if acc.kind in NEVER_NEGATIVE and acc.balance < 0:
            problems.append(f"{acc.code} is negative: {acc.balance}")
    if total != 0:
        problems.append(f"the books sum to {total}, not 0")
    return LedgerReport(problems, accounts, Posting.objects.count(), total)
