"""A buyer's pages about apps acting for them: connected apps (revoke), and confirming a payment
an app asked for (reachable by link and QR, the one a TV shows)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from emporium.ecosystem import buyer_grants, buyer_orders
from emporium.ecosystem.buyer_orders import BuyerAppError
from emporium.ecosystem.models import App, PaymentRequest
from emporium.lib import qr
from emporium.lib.errors import DomainError
from emporium.members.requests import MemberRequest


@login_required
@never_cache
def connected_apps(request: MemberRequest) -> HttpResponse:
    grants = buyer_grants.grants_of(request.user)
    rows = [(grant, buyer_grants.scope_rows(grant.scope_list)) for grant in grants]
    payments = buyer_orders.payments_caused_by_apps(request.user)
    return render(request, "ecosystem/connected_apps.html", {"rows": rows, "payments": payments})


@login_required
@require_POST
def revoke_app(request: MemberRequest, app_id: UUID) -> HttpResponse:
    app = get_object_or_404(App, public_id=app_id)
    if buyer_grants.revoke(request.user, app) is None:
        raise Http404
    messages.success(request, _("%(app)s can no longer act for you.") % {"app": app.name})
    return redirect("connected_apps")


@login_required
@never_cache
def pay_request(request: MemberRequest, public_id: UUID) -> HttpResponse:
    """GET: what the app asks to pay, for which order, and a QR of this page; POST: confirm or
    decline. Another member's request reads as not found."""
    payment = (
        PaymentRequest.objects.select_related("app__user", "order__shop")
        .filter(public_id=public_id, buyer=request.user)
        .first()
    )
    if payment is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                buyer_orders.confirm(payment, request.user)
            else:
                buyer_orders.decline(payment, request.user)
            return redirect("pay_request", public_id=public_id)
        except (BuyerAppError, DomainError) as refused:
            error = str(refused)
        payment.refresh_from_db()
    link = request.build_absolute_uri(reverse("pay_request", args=[public_id]))
    context = {"payment": payment, "order": payment.order, "qr": qr.svg(link), "error": error}
    return render(request, "ecosystem/pay_request.html", context, status=422 if error else 200)
