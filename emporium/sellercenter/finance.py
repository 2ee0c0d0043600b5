"""Seller center money: the balance, withdrawals, settlements from the ledger and fees per month."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from emporium.finance import ledger
from emporium.finance.models import Withdrawal
from emporium.finance.settlements import (
    as_settlements,
    monthly_fees,
    seller_account_code,
    settlement_postings,
)
from emporium.finance.wallets import MIN_WITHDRAWAL, FinanceError, withdraw
from emporium.market.billing import invoices_for
from emporium.members.requests import MemberRequest
from emporium.sellercenter import figures
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.tradeforms import WithdrawForm
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop

SETTLEMENTS_PER_PAGE = 50
WITHDRAWALS_SHOWN = 50
APP_INVOICES_SHOWN = 50


@seller_required
def finance(request: MemberRequest, shop: Shop) -> HttpResponse:
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = withdraw(
                shop.owner, form.cleaned_data["amount"], form.cleaned_data["bank_account"]
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
        "in_escrow": figures.in_escrow(shop),
        "form": form,
        "min_withdrawal": MIN_WITHDRAWAL,
        "withdrawals": Withdrawal.objects.filter(seller=shop.owner_id).select_related(
            "posting__transfer"
        )[:WITHDRAWALS_SHOWN],
        "fees": monthly_fees(shop),
        "app_invoices": invoices_for(shop)[:APP_INVOICES_SHOWN],
    }
    return render(request, "sellercenter/finance.html", context)


@seller_required
def settlements(request: MemberRequest, shop: Shop) -> HttpResponse:
    page = Paginator(settlement_postings(shop), SETTLEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"shop": shop, "page": page, "rows": as_settlements(shop, list(page.object_list))}
    return render(request, "sellercenter/settlements.html", context)
