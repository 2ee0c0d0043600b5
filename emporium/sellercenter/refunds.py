"""Seller center refunds: the shop's requests (open ones first), agreeing after a confirm, refusing."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.members.requests import MemberRequest
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.tradeforms import RefuseForm
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop
from emporium.trade import refunds
from emporium.trade.models import Refund
from emporium.trade.states import TradeError

REFUNDS_PER_PAGE = 50


def _own_refund(shop: Shop, public_id) -> Refund:
    return get_object_or_404(
        Refund.objects.select_related("order__buyer"), order__shop=shop, public_id=public_id
    )


@seller_required
def refund_list(request: MemberRequest, shop: Shop) -> HttpResponse:
    open_first = Case(
        When(status__in=Refund.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = (
        Refund.objects.filter(order__shop=shop)
        .select_related("order__buyer")
        .order_by(open_first, "-created_at", "-id")
    )
    page = Paginator(found, REFUNDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "sellercenter/refunds.html", {"shop": shop, "page": page})


def _refund_page(request: HttpRequest, shop: Shop, refund: Refund, form=None) -> HttpResponse:
    context = {
        "shop": shop,
        "refund": refund,
        "order": refund.order,
        "lines": refund.order.lines.all(),
        "refuse_form": form or RefuseForm(),
    }
    return render(request, "sellercenter/refund_detail.html", context)


@seller_required
def refund_detail(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    return _refund_page(request, shop, _own_refund(shop, public_id))


@seller_required
def refund_agree(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """GET asks "pay the buyer back?"; POST pays out of escrow."""
    refund = _own_refund(shop, public_id)
    if request.method != "POST":
        if not refund.is_open:
            messages.info(request, _("This refund request has already been answered."))
            return redirect("sellercenter:refund", refund.public_id)
        return render(request, "sellercenter/refund_agree.html", {"shop": shop, "refund": refund})
    try:
        refunds.agree(refund)
    except TradeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(amount)s refunded to the buyer of order %(n)s.")
            % {"amount": refund.amount, "n": refund.order.number},
        )
    return redirect("sellercenter:refund", refund.public_id)


@require_POST
@seller_required
def refund_refuse(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    refund = _own_refund(shop, public_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            refunds.refuse(refund, form.cleaned_data["note"])
        except TradeError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Refund refused; the buyer has been told why."))
            return redirect("sellercenter:refund", refund.public_id)
    return _refund_page(request, shop, refund, form)
