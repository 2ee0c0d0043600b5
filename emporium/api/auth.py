"""Bearer tokens from django-oauth-toolkit, and the scope each endpoint declares with `Scoped(...)`.

    @router.get("/items", auth=Scoped("items:read"))

One declaration per route does three things: checks the token (401), takes a rate-limit token
for its (app, shop) (429), checks the scope (403) — and shows the scope in the OpenAPI document.
"""

import hashlib
from dataclasses import dataclass
from typing import cast

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import get_access_token_model

from emporium.api import ratelimit
from emporium.api.errors import ApiError
from emporium.ecosystem.models import App
from emporium.market.billing import suspended_subscriptions
from emporium.members.models import Member
from emporium.shops.models import Shop


@dataclass(frozen=True)
class Caller:
    """Who is calling: the app, and the seller (and shop) who granted the token, if any."""

    token_id: int
    app: App
    user: Member | None
    shop: Shop | None
    scopes: frozenset[str]
    suspended: bool = False

    @property
    def acting_for(self) -> Shop:
        """The shop a seller's token acts for; routes that need one declare `Scoped(shop=True)`."""
        if self.shop is None:
            raise ApiError("shop_required")
        return self.shop


class ApiRequest(HttpRequest):
    """A request of the Open API: its id, and once the bearer check passed, who calls."""

    request_id: str
    auth: Caller
    caller: Caller
    api_rate: ratelimit.Decision


def load_token(raw: str):
    """DOT's own lookup: tokens are found by the SHA-256 checksum of the raw value."""
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    # The suspension check rides along in the same query: every call pays for it.
    suspended = suspended_subscriptions().filter(
        installation__app=OuterRef("application"), installation__shop__owner=OuterRef("user")
    )
    return (
        get_access_token_model()
        .objects.select_related("application", "user", "user__shop")
        .annotate(app_suspended=Exists(suspended))
        .filter(token_checksum=checksum)
        .first()
    )


def caller_for(raw: str) -> tuple[Caller, bool]:
    """The caller a token speaks for, and whether the token has expired."""
    token = load_token(raw)
    if token is None or token.application is None:
        raise ApiError("invalid_token", headers=_challenge("invalid_token"))
    user = token.user
    caller = Caller(
        token_id=token.pk,
        app=token.application,
        user=user,
        shop=getattr(user, "shop", None) if user is not None else None,
        scopes=frozenset(token.scope.split()),
        suspended=token.app_suspended,
    )
    return caller, token.is_expired()


def _challenge(error: str, description: str = "", scope: str = "") -> dict[str, str]:
    """RFC 6750 §3: tell the client why, in the header generic OAuth libraries read."""
    value = f'Bearer realm="emporium", error="{error}"'
    if description:
        value += f', error_description="{description}"'
    if scope:
        value += f', scope="{scope}"'
    return {"WWW-Authenticate": value}


class Scoped(HttpBearer):
    """Require a token granting any one of `scopes`; `shop=False` for app-level (catalog) reads."""

    def __init__(self, *scopes: str, shop: bool = True):
        super().__init__()
        if not scopes:
            raise ValueError("name at least one scope")
        self.scopes = scopes
        self.needs_shop = shop

    def authenticate(self, plain: HttpRequest, token: str) -> Caller:
        request = cast(ApiRequest, plain)  # what the bearer check adds to it
        caller, expired = caller_for(token)
        request.caller = caller  # the call log files even a refused call under its app
        if expired:
            raise ApiError(
                "token_expired", headers=_challenge("invalid_token", "The token expired")
            )
        decision = ratelimit.take(
            caller.app.pk, caller.shop.pk if caller.shop else None, caller.app.tier
        )
        request.api_rate = decision
        if not decision.allowed:
            raise ApiError("rate_limited", headers={"Retry-After": str(decision.retry_after)})
        if not caller.scopes.intersection(self.scopes):
            wanted = " ".join(self.scopes)
            raise ApiError(
                "insufficient_scope",
                f"This endpoint needs the scope {' or '.join(self.scopes)}.",
                headers=_challenge("insufficient_scope", scope=wanted),
            )
        if self.needs_shop and caller.shop is None:
            raise ApiError("shop_required")
        if caller.shop is not None and caller.suspended:
            raise ApiError("app_suspended")
        return caller
