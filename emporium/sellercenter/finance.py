"""Seller center money: the balance, withdrawals, settlements from the ledger and fees per month."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from emporium.finance import ledger
from emporium.finance.models import Entry, Posting, Withdrawal
from emporium.finance.wallets import MIN_WITHDRAWAL, FinanceError, withdraw
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.tradeforms import WithdrawForm
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop
from emporium.trade.models import Order

SETTLEMENTS_PER_PAGE = 50
WITHDRAWALS_SHOWN = 50
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


@seller_required
def finance(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = withdraw(
                request.user, form.cleaned_data["amount"], form.cleaned_data["bank_account"]
            )
        except FinanceError as error:
            service_error(form, error)
        else:
            messages.success(
                request,
                _("%(amount)s is on its way to your bank account.") % {"amount": done.amount},
            )
            return redirect("sellercenter:finance")
    context = {
        "shop": shop,
        "balance": ledger.balance_of(seller_account_code(shop)),
        "form": form,
        "min_withdrawal": MIN_WITHDRAWAL,
        "withdrawals": Withdrawal.objects.filter(seller=request.user)[:WITHDRAWALS_SHOWN],
        "fees": monthly_fees(shop),
    }
    return render(request, "sellercenter/finance.html", context)


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


@seller_required
def settlements(request: HttpRequest, shop: Shop) -> HttpResponse:
    page = Paginator(settlement_postings(shop), SETTLEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"shop": shop, "page": page, "rows": as_settlements(shop, list(page.object_list))}
    return render(request, "sellercenter/settlements.html", context)
