"""Settlements and fees as a seller sees them, read from the ledger; the seller center and the API share it."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from emporium.finance import ledger
from emporium.finance.models import Entry, Posting
from emporium.lib import money
from emporium.shops.models import Shop
from emporium.trade.models import Order

MONTHS_SHOWN = 12


def seller_account_code(shop: Shop) -> str:
    return ledger.seller_code(shop.owner_id)


# --- fees: the commission taken on each settled order, on what the buyer finally paid ----------


def fee_base(order: Order) -> Decimal:
    """What a fee is charged on: the order's total less what was refunded."""
    return order.total_amount - order.refunded_amount


FEE_BASE = F("total_amount") - F("refunded_amount")  # fee_base, in the database


def settled_orders(shop: Shop) -> QuerySet[Order]:
    return Order.objects.filter(shop=shop, status=Order.Status.SETTLED)


def charged_orders(shop: Shop) -> QuerySet[Order]:
    """The settled orders a commission was charged on: one fee each."""
    return settled_orders(shop).filter(commission_amount__gt=0)


@dataclass(frozen=True)
class Fee:
    kind: str
    order: Order
    base: Decimal
    amount: Decimal
    charged_at: datetime


def fee_of(order: Order) -> Fee:
    """The fee a settled order carries (from `charged_orders`)."""
    if order.settled_at is None:
        raise ValueError(f"order {order.number} is not settled, so it carries no fee")
    return Fee("commission", order, fee_base(order), order.commission_amount, order.settled_at)


def monthly_fees(shop: Shop) -> list[dict]:
    """Settled orders per month of settlement (in the member's zone): kept, commission, paid out."""
    rows = (
        settled_orders(shop)
        .annotate(month=TruncMonth("settled_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(orders=Count("id"), gross=Sum(FEE_BASE), commission=Sum("commission_amount"))
        .order_by("-month")[:MONTHS_SHOWN]
    )
    # SQLite sums decimals as floats; back to exact cents before anyone sees them.
    return [
        {
            "month": row["month"],
            "orders": row["orders"],
            "gross": money.cents_or_zero(row["gross"]),
            "commission": money.cents_or_zero(row["commission"]),
            "net": money.cents_or_zero(row["gross"]) - money.cents_or_zero(row["commission"]),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class Settlement:
    """One settlement posting seen from the seller: what escrow released, the fee, what arrived."""

    at: datetime
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
                # Held until the return window closes (settlements before that rule: revenue).
                commission=amounts.get(
                    ledger.HELD_COMMISSION, amounts.get(ledger.COMMISSION, Decimal("0.00"))
                ),
                net=amounts[mine],
            )
        )
    return rows
