"""Provider pages: the notification endpoint every provider posts to, and the sandbox's card page."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from emporium.finance import notifications, sandbox
from emporium.finance.models import TopUp
from emporium.finance.providers import BadNotification
from emporium.members.requests import MemberRequest


@csrf_exempt  # a provider's server posts here; the signature, not a cookie, proves who sent it
@require_POST
def notify(request: HttpRequest, provider: str) -> JsonResponse:
    try:
        notifications.receive(provider, request.body, request.headers)
    except BadNotification as refused:
        return JsonResponse({"error": {"code": refused.code, "message": str(refused)}}, status=400)
    return JsonResponse({"received": True})


@login_required
def sandbox_card(request: MemberRequest, public_id: UUID) -> HttpResponse:
    if not settings.PAYMENTS_SANDBOX:
        raise Http404
    top_up = get_object_or_404(
        TopUp, public_id=public_id, member=request.user, provider=sandbox.NAME
    )
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, None):
        back = ""
    if request.method == "POST" and top_up.status == TopUp.Status.PENDING:
        paid = request.POST.get("outcome") == "pay"
        body, headers = sandbox.card_outcome(top_up, paid=paid)
        notifications.receive(sandbox.NAME, body, headers)
        if paid:
            messages.success(request, _("Your wallet was topped up."))
        else:
            messages.error(request, _("The payment was declined; nothing was charged."))
        return redirect(back or "trade:wallet")
    return render(request, "finance/sandbox_card.html", {"top_up": top_up, "next": back})
