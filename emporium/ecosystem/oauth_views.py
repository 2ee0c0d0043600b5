"""OAuth 2.0 pages and endpoints that differ from django-oauth-toolkit's: consent, introspection, whoami."""

import calendar
import json
from typing import cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as toolkit
from oauth2_provider.models import get_access_token_model
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import Request as OAuthRequest

from emporium.ecosystem import buyer_grants, scopes
from emporium.ecosystem.buyer_grants import BuyerGrantError
from emporium.ecosystem.models import App, DeveloperSandbox
from emporium.ecosystem.oauth import token_checksum
from emporium.ecosystem.sandbox import ensure_sandbox
from emporium.members.models import Member


@method_decorator(never_cache, name="dispatch")
class ConsentView(AuthorizationView):
    """The authorization endpoint: a seller sees what the app asks for and for which shop; a
    buyer (asked for buyer scopes) sees what the app may do for them, and sets a spending limit."""

    template_name = "ecosystem/consent.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.for_buyer = _asks_buyer_scopes(request)
        # Shop tokens are per (app, shop): a member without a shop has nothing to grant.
        if request.user.is_authenticated and not self.for_buyer and not request.user.is_seller:
            context = {"sandbox": _developer_sandbox(request.user)}
            return render(request, "ecosystem/open_shop_first.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The market gate holds on the form's path too: a listed app is authorized for a shop
        # only after a market install with a plan, never by posting this form directly.
        app = App.objects.filter(client_id=request.POST.get("client_id", "")).first()
        if app is not None and not self.for_buyer:
            from emporium.market import installs

            if installs.needs_market_install(app, cast(Member, request.user)):
                return redirect("market:install", app.public_id)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        if self.for_buyer and form.cleaned_data.get("allow"):
            app = App.objects.select_related("user").get(client_id=form.cleaned_data["client_id"])
            scopes = (form.cleaned_data.get("scope") or "").split()
            raw_limit = self.request.POST.get("spending_limit", "0")
            try:
                limit = buyer_grants.parse_spending_limit(raw_limit)
                buyer_grants.consent(self.request.user, app, scopes, limit)
            except BuyerGrantError as error:
                context = {
                    **_buyer_context(app, scopes),
                    "form": form,
                    "error": str(error),
                    "spending_limit": raw_limit[:20],
                }
                return render(self.request, "ecosystem/buyer_consent.html", context, status=422)
        return super().form_valid(form)

    def render_to_response(self, context: dict, **kwargs) -> HttpResponse:
        # The app market's install page is the consent (scopes in plain words + a plan): a listed
        # app is sent there first, and an app installed there is authorized without asking twice.
        app, scopes = context.get("application"), context.get("scopes")
        if self.for_buyer and "error" not in context:
            return render(self.request, "ecosystem/buyer_consent.html", context)
        wanted = self.request.method == "GET" and "error" not in context
        if wanted and app is not None and scopes is not None:
            from emporium.market import installs

            if installs.needs_market_install(app, self.request.user):
                target = reverse("market:install", args=[app.public_id])
                return redirect(f"{target}?{urlencode({'next': self.request.get_full_path()})}")
            if installs.market_consented(app, self.request.user, scopes):
                _scopes, credentials = self.validate_authorization_request(self.request)
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=self.request,
                    scopes=" ".join(scopes),
                    credentials=credentials,
                    allow=True,
                )
                return self.redirect(uri, app)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        app = kwargs.get("application")
        if self.for_buyer and app is not None:
            return {**context, **_buyer_context(app, kwargs.get("scopes", []))}
        if app is not None:
            from emporium.ecosystem.device_views import app_facts

            context.update(app_facts(app))  # who made it, and whether the market reviewed it
        context["shop"] = self.request.user.shop
        context["scope_rows"] = scopes.rows(kwargs.get("scopes", []))
        context["sandbox"] = _developer_sandbox(self.request.user)
        return context


def _asks_buyer_scopes(request: HttpRequest) -> bool:
    """Whether an authorization request (or its consent form) is a buyer's: it names buyer
    scopes, or names none and the app registered buyer scopes."""
    params = request.POST if request.method == "POST" else request.GET
    scope = params.get("scope")
    if scope is None:
        app = App.objects.filter(client_id=params.get("client_id", "")).first()
        scopes = app.scope_list if app is not None else []
    else:
        scopes = scope.split()
    return buyer_grants.is_buyer_grant(scopes)


def _buyer_context(app: App, scopes: list[str]) -> dict:
    from emporium.ecosystem.device_views import app_facts

    return {
        **app_facts(app),
        "scope_rows": buyer_grants.scope_rows(scopes),
        "asks_to_pay": "buyer:pay" in scopes,
    }


def _developer_sandbox(member) -> DeveloperSandbox | None:
    """A developer testing their own app is offered their sandbox shop to authorize instead."""
    return ensure_sandbox(member) if member.is_developer else None


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(OAuthLibMixin, View):
    """RFC 7662 for an app authenticated with its client id and secret, about its own tokens only.

    django-oauth-toolkit's endpoint answers about any token to any authenticated client; here
    another app's token reads as inactive, so one app cannot probe another's sellers.
    """

    def post(self, request: HttpRequest) -> JsonResponse:
        app = self._authenticated_app(request)
        if app is None:
            response = JsonResponse({"error": "invalid_client"}, status=401)
            response["WWW-Authenticate"] = 'Basic realm="emporium"'
            return response
        raw = request.POST.get("token")
        if not raw:
            return JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "The token parameter is missing.",
                },
                status=400,
            )
        token = (
            get_access_token_model()
            .objects.select_related("user__shop")
            .filter(token_checksum=token_checksum(raw), application=app)
            .first()
        )
        if token is None or not token.is_valid():
            return JsonResponse({"active": False})
        return JsonResponse(_describe(token, app))

    def _authenticated_app(self, request: HttpRequest) -> App | None:
        core = self.get_oauthlib_core()
        # The same parameters and validator the token endpoint uses, so rotated secrets work here too.
        oauth_request = OAuthRequest(*core._extract_params(request))
        if core.server.request_validator.authenticate_client(oauth_request):
            return oauth_request.client
        return None


def _describe(token, app: App) -> dict:
    data = {
        "active": True,
        "scope": token.scope,
        "client_id": app.client_id,
        "token_type": "Bearer",
        "exp": calendar.timegm(token.expires.utctimetuple()),
    }
    if token.user is not None and buyer_grants.is_buyer_grant(token.scope.split()):
        # A buyer's token: the app knows its buyer by the pairwise id, never a username or shop.
        data["buyer_id"] = buyer_grants.buyer_app_id(token.user, app)
    elif token.user is not None:
        data["username"] = token.user.get_username()
        shop = getattr(token.user, "shop", None)
        if shop is not None:
            data["shop_id"] = str(shop.public_id)
    return data


class WhoAmIView(OAuthLibMixin, View):
    """GET /o/whoami/ with any valid bearer token: which app, which shop, which scopes.

    A tiny protected resource for clients (and our end-to-end test) to try a token on.
    """

    def get(self, request: HttpRequest) -> JsonResponse:
        valid, oauth_request = self.verify_request(request)
        if not valid:
            response = JsonResponse({"error": "invalid_token"}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="emporium", error="invalid_token"'
            return response
        token = oauth_request.access_token
        for_buyer = buyer_grants.is_buyer_grant(token.scope.split())
        shop = getattr(token.user, "shop", None) if token.user and not for_buyer else None
        return JsonResponse(
            {
                "client_id": token.application.client_id,
                "app": token.application.name,
                "scope": token.scope.split(),
                "shop": {"id": str(shop.public_id), "name": shop.name} if shop else None,
            }
        )


class TokenView(toolkit.TokenView):
    """The token endpoint. Every grant, the device code's included, goes through oauthlib and the
    validator: the toolkit's own device-code shortcut knows no `slow_down` (ecosystem/device.py)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.authorization_flow_token_response(request)


class MetadataView(toolkit.OAuthServerMetadataView):
    """RFC 8414 metadata, naming the device authorization endpoint (RFC 8628 §4) too."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["device_authorization_endpoint"] = self._get_endpoint_url(
            request, "device-authorization", required=True
        )
        fresh = JsonResponse(data)
        fresh["Access-Control-Allow-Origin"] = "*"
        return fresh
