"""Developer center market pages: an app's listing (status and the operator's reason), earnings
and payouts."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporium.ecosystem.registration import unsealed_secret
from emporium.ecosystem.views import _own_app, developer_center
from emporium.market import billing, listings
from emporium.market.billing import BillingError
from emporium.market.forms import ListingForm, PayoutForm, service_error
from emporium.market.listings import ListingError
from emporium.market.models import Listing
from emporium.members.requests import MemberRequest

EARNINGS_SHOWN = 100


@developer_center
def listing(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    current = Listing.objects.filter(app=app).first()
    form = ListingForm(
        app, request.POST or None, request.FILES or None, initial=ListingForm.initial_for(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = listings.save_listing(
                app,
                **{k: form.cleaned_data[k] for k in _FIELDS},
                plans=form.plan_specs(),
                blocks=form.block_specs(),
                icon=request.FILES.get("icon"),
                screenshots=request.FILES.getlist("screenshots"),
                submit="submit" in request.POST,
            )
        except ListingError as error:
            service_error(form, error)
        else:
            if saved.status == Listing.Status.PENDING:
                messages.success(
                    request, _("Submitted: an operator reviews it before sellers see it.")
                )
            else:
                messages.success(request, _("Saved as a draft."))
            return redirect("market_dev:listing", app.public_id)
    context = {
        "app": app,
        "listing": current,
        "form": form,
        "sealed": unsealed_secret(app) is not None,
    }
    return render(request, "market/dev_listing.html", context)


# Form fields save_listing takes by name (plan and block rows go as specs, files from FILES).
_FIELDS = (
    "name", "summary_en", "summary_zh", "description_en", "description_zh", "category", "scopes",
    "install_url", "app_url",
)  # fmt: skip


@require_POST
@developer_center
def listing_submit(request: MemberRequest, public_id) -> HttpResponse:
    app = _own_app(request, public_id)
    current = Listing.objects.filter(app=app).first()
    if current is not None:
        try:
            listings.submit(current)
        except ListingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Submitted: an operator reviews it before sellers see it."))
    return redirect("market_dev:listing", app.public_id)


@developer_center
def earnings(request: MemberRequest) -> HttpResponse:
    form = PayoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payout = billing.request_payout(
                request.user, form.cleaned_data["amount"], form.cleaned_data["bank_account"]
            )
        except BillingError as error:
            service_error(form, error)
        else:
            messages.success(
                request,
                _("%(amount)s is on its way to your bank account.") % {"amount": payout.amount},
            )
            return redirect("market_dev:earnings")
    context = {
        "form": form,
        "balance": billing.developer_balance(request.user),
        "rows": billing.earnings_for(request.user)[:EARNINGS_SHOWN],
        "payouts": request.user.app_payouts.select_related("posting__transfer")[:EARNINGS_SHOWN],
    }
    return render(request, "market/earnings.html", context)
