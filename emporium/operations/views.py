"""The operator's overview (today's orders, disputes waiting, apps waiting for review) and the
dispute queue, where each dispute is ruled with a note. Both live inside the admin (staff only)."""

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.lib import clock, money
from emporium.market.models import Listing
from emporium.trade import refunds
from emporium.trade.models import Order, Refund
from emporium.trade.states import TradeError

MAX_NOTE = 300


def _today_bounds() -> tuple[datetime, datetime]:
    local = timezone.localtime(clock.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def overview(request: HttpRequest) -> HttpResponse:
    """What needs the operator today, each figure linking to where it is handled."""
    start, end = _today_bounds()
    today = Q(created_at__gte=start, created_at__lt=end)
    paid = Q(paid_at__gte=start, paid_at__lt=end)
    orders = Order.objects.aggregate(
        placed=Count("pk", filter=today),
        paid=Count("pk", filter=paid),
        paid_amount=Sum("total_amount", filter=paid),
    )
    disputes = refunds.waiting_disputes()
    context = {
        **admin.site.each_context(request),
        "title": _("Operator overview"),
        "day": start,
        "orders_placed": orders["placed"],
        "orders_paid": orders["paid"],
        "paid_amount": money.cents_or_zero(orders["paid_amount"]),
        "disputes_waiting": disputes.count(),
        "oldest_dispute": disputes.first(),
        "listings_waiting": Listing.objects.filter(status=Listing.Status.PENDING).count(),
    }
    return render(request, "operations/overview.html", context)


def disputes(request: HttpRequest) -> HttpResponse:
    """Every dispute waiting for a ruling, the longest waiting first."""
    if not request.user.has_perm("trade.view_refund"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": _("Dispute queue"),
        "disputes": refunds.waiting_disputes(),
        "can_rule": request.user.has_perm("trade.change_refund"),
        "max_note": MAX_NOTE,
    }
    return render(request, "operations/disputes.html", context)


@require_POST
def rule(request: HttpRequest, public_id) -> HttpResponse:
    """Rule one dispute: for the buyer (the refund is paid) or for the seller (it is closed)."""
    if not request.user.has_perm("trade.change_refund"):
        raise PermissionDenied
    refund = get_object_or_404(Refund.objects.select_related("order"), public_id=public_id)
    note = " ".join(request.POST.get("note", "").split())
    decision = request.POST.get("decision")
    if decision not in ("buyer", "seller") or not note or len(note) > MAX_NOTE:
        messages.error(
            request,
            _("Choose for whom you rule and write a note (at most %(n)s characters) for %(order)s.")
            % {"n": MAX_NOTE, "order": refund.order.number},
        )
        return redirect("operations:disputes")
    try:
        refunds.arbitrate(refund, for_buyer=decision == "buyer", note=note)
    except TradeError as error:
        messages.error(request, f"{refund.order.number}: {error}")
    else:
        words = _("for the buyer") if decision == "buyer" else _("for the seller")
        messages.success(
            request,
            _("Dispute on order %(order)s ruled %(words)s.")
            % {"order": refund.order.number, "words": words},
        )
    return redirect("operations:disputes")
