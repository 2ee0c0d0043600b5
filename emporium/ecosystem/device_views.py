"""The device flow's endpoints and pages (RFC 8628): the device's request, and /device where a
buyer types the code, sees the app and its scopes, and approves or denies."""

import json
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import (
    DeviceCodeResponse,
    DeviceRequest,
    create_device_grant,
    get_device_grant_model,
)
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from oauthlib.oauth2.rfc8628.endpoints import DeviceAuthorizationEndpoint

from emporium.ecosystem import buyer_grants, device
from emporium.ecosystem.buyer_grants import BuyerGrantError
from emporium.ecosystem.models import App
from emporium.members.requests import MemberRequest


def _absolute(request: HttpRequest, path: str) -> str:
    # As the metadata document builds its endpoint URLs: the configured issuer, or this host.
    issuer = settings.OAUTH2_PROVIDER.get("OIDC_ISS_ENDPOINT")
    if not issuer:
        return request.build_absolute_uri(path)
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}{path}"


def verification_uri_complete(request: HttpRequest, user_code: str) -> str:
    return _absolute(request, f"{reverse('device')}?user_code={user_code}")


@method_decorator(csrf_exempt, name="dispatch")
class DeviceAuthorizationView(OAuthLibMixin, View):
    """POST /o/device-authorization/ (RFC 8628 §3.1–3.2): a buyer app's device asks for codes."""

    def post(self, request: HttpRequest) -> JsonResponse:
        core = self.get_oauthlib_core()
        endpoint = DeviceAuthorizationEndpoint(
            core.server.request_validator,
            verification_uri=_absolute(request, reverse("device")),
            expires_in=int(device.LIFETIME.total_seconds()),
            interval=device.interval(),
            verification_uri_complete=lambda code: verification_uri_complete(request, code),
            user_code_generator=device.user_code,
        )
        uri, method, body, headers = core._extract_params(request)
        try:
            headers, data, status = endpoint.create_device_authorization_response(
                uri, method, body, headers
            )
        except OAuth2Error as error:
            return JsonResponse(
                json.loads(error.json), status=error.status_code, headers=error.headers
            )
        scope = data.pop("scope", "") or request.POST.get("scope", "")
        if not buyer_grants.is_buyer_grant(scope.split()):
            return JsonResponse(
                {
                    "error": "invalid_scope",
                    "error_description": "The device flow is for buyer scopes (buyer:*) only.",
                },
                status=400,
            )
        grant_request = DeviceRequest(client_id=request.POST["client_id"], scope=scope)
        grant = create_device_grant(grant_request, DeviceCodeResponse(**data))
        # The toolkit stores its model's default interval; polls are measured against ours.
        type(grant).objects.filter(pk=grant.pk).update(interval=data["interval"])
        return JsonResponse(data, headers={"Cache-Control": "no-store"})


def app_facts(app: App) -> dict:
    """Who made the app and whether the market reviewed it: what a buyer weighs before trusting."""
    from emporium.market.models import Listing

    reviewed = Listing.objects.filter(app=app, status=Listing.Status.APPROVED).exists()
    return {"application": app, "developer": app.user, "reviewed": reviewed}


@method_decorator([login_required, never_cache], name="dispatch")
class DeviceCodeView(View):
    """GET/POST /device/: the buyer types (or the QR link fills in) the code the TV shows."""

    template_name = "ecosystem/device_code.html"

    def get(self, request: MemberRequest) -> HttpResponse:
        typed = request.GET.get("user_code", "")[:20]
        return render(request, self.template_name, {"user_code": typed})

    def post(self, request: MemberRequest) -> HttpResponse:
        typed = request.POST.get("user_code", "")[:20]
        if device.guesses_left(request.user.pk) <= 0:
            error = _("Too many wrong codes. Wait a quarter of an hour and try again.")
            context = {"user_code": typed, "error": error}
            return render(request, self.template_name, context, status=429)
        grant = device.pending_grant(typed)
        if grant is None or (grant.user_id not in (None, request.user.pk)):
            device.wrong_guess(request.user.pk)
            error = _("That code is wrong or has expired. Check the code on your screen.")
            context = {"user_code": typed, "error": error}
            return render(request, self.template_name, context, status=400)
        model = get_device_grant_model()
        # The first member to enter the code owns it: nobody else can approve that device.
        model.objects.filter(pk=grant.pk, user__isnull=True).update(user=request.user)
        return redirect("device_confirm", user_code=grant.user_code)


@method_decorator([login_required, never_cache], name="dispatch")
class DeviceConfirmView(View):
    """GET/POST /device/confirm/<code>/: the app, who made it, its scopes; approve or deny."""

    template_name = "ecosystem/device_confirm.html"

    def dispatch(self, request: MemberRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[override]
        model = get_device_grant_model()
        grant = device.pending_grant(kwargs["user_code"])
        if grant is None or grant.user_id != request.user.pk:
            return render(request, "ecosystem/device_done.html", {"outcome": "gone"}, status=404)
        self.grant = grant
        self.model = model
        self.app = App.objects.select_related("user").filter(client_id=grant.client_id).first()
        if self.app is None:
            return render(request, "ecosystem/device_done.html", {"outcome": "gone"}, status=404)
        return cast(HttpResponse, super().dispatch(request, *args, **kwargs))

    def context(self, **extra) -> dict:
        scopes = self.grant.scope.split()
        return {
            **app_facts(self.app),
            "scope_rows": buyer_grants.scope_rows(scopes),
            "asks_to_pay": "buyer:pay" in scopes,
            "user_code": device.shown(self.grant.user_code),
            **extra,
        }

    def get(self, request: MemberRequest, user_code: str) -> HttpResponse:
        return render(request, self.template_name, self.context(spending_limit="0"))

    def post(self, request: MemberRequest, user_code: str) -> HttpResponse:
        model, grant = self.model, self.grant
        if request.POST.get("action") != "accept":
            model.objects.filter(pk=grant.pk, status=model.AUTHORIZATION_PENDING).update(
                status=model.DENIED
            )
            return render(request, "ecosystem/device_done.html", {"outcome": "denied"})
        raw_limit = request.POST.get("spending_limit", "0")
        try:
            limit = buyer_grants.parse_spending_limit(raw_limit)
            buyer_grants.consent(request.user, self.app, grant.scope.split(), limit)
        except BuyerGrantError as error:
            context = self.context(spending_limit=raw_limit[:20], error=str(error))
            return render(request, self.template_name, context, status=422)
        model.objects.filter(pk=grant.pk, status=model.AUTHORIZATION_PENDING).update(
            status=model.AUTHORIZED
        )
        context = {"outcome": "approved", "application": self.app}
        return render(request, "ecosystem/device_done.html", context)
