"""Settlements and fees as a seller sees them, read from the ledger; the seller center and the API share it."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from emporium.finance import ledger
from emporium.finance.models import Entry, Posting
from emporium.shops.models import Shop
from emporium.trade.models import Order

MONTHS_SHOWN = 12


def seller_account_code(shop: Shop) -> str:
    return f"seller:{shop.owner_id}"


def monthly_fees(shop: Shop) -> list[dict]:
    """Settled orders per month of settlement (in the member's zone): kept, commission, paid out."""
    rows = (
        Order.objects.filter(shop=shop, status=Order.Status.SETTLED)
        .annotate(month=TruncMonth("settled_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            orders=Count("id"),
            gross=Sum(F("total_amount") - F("refunded_amount")),
            commission=Sum("commission_amount"),
        )
        .order_by("-month")[:MONTHS_SHOWN]
    )
    # SQLite sums decimals as floats; back to exact cents before anyone sees them.
    return [
        {
            "month": row["month"],
            "orders": row["orders"],
            "gross": ledger.to_cents(row["gross"]),
            "commission": ledger.to_cents(row["commission"]),
            "net": ledger.to_cents(row["gross"]) - ledger.to_cents(row["commission"]),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class Settlement:
    """One settlement posting seen from the seller: what escrow released, the fee, what arrived."""

    at: object
    number: str
    order: Order | None
    gross: Decimal
    commission: Decimal
    net: Decimal


def settlement_postings(shop: Shop) -> QuerySet[Posting]:
    entries = Entry.objects.select_related("account")
    return (
        Posting.objects.filter(
            reason=Posting.Reason.SETTLEMENT, entries__account__code=seller_account_code(shop)
        )
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("-created_at", "-id")
    )


def as_settlements(shop: Shop, postings: list[Posting]) -> list[Settlement]:
    numbers = [p.reference.removeprefix("order:") for p in postings]
    by_number = {o.number: o for o in Order.objects.filter(shop=shop, number__in=numbers)}
    mine = seller_account_code(shop)
    rows = []
    for posting, number in zip(postings, numbers, strict=True):
        amounts = {entry.account.code: entry.amount for entry in posting.entries.all()}
        rows.append(
            Settlement(
                at=posting.created_at,
                number=number,
                order=by_number.get(number),
                gross=-amounts.get(ledger.ESCROW, Decimal("0.00")),
                commission=amounts.get(ledger.COMMISSION, Decimal("0.00")),
                net=amounts[mine],
            )
        )
    return rows
