"""Bearer tokens from django-oauth-toolkit, and the scope each endpoint declares with `Scoped(...)`.

    @router.get("/items", auth=Scoped("items:read"))

One declaration per route does three things: checks the token (401), takes a rate-limit token
for its (app, shop) (429), checks the scope (403) — and shows the scope in the OpenAPI document.

A token is a shop's or a buyer's (docs/oauth.md): a buyer token (buyer:* scopes) speaks for the
member who granted it and for no shop, even when that member owns one; a shop token never reaches
the buyer routes (`Scoped(..., buyer=True)`), and a buyer token never a shop route.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.db import connections, router
from django.db.models import Model
from django.db.models.expressions import Col
from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import get_access_token_model

from emporium.api import ratelimit
from emporium.api.errors import ApiError
from emporium.ecosystem import buyer_grants
from emporium.ecosystem.models import App, Installation
from emporium.market.models import Subscription
from emporium.members.models import Member
from emporium.shops.models import Shop


@dataclass(frozen=True)
class Caller:
    """Who is calling: the app, and the seller (and shop) or the buyer who granted the token."""

    token_id: int
    app: App
    user: Member | None
    shop: Shop | None
    scopes: frozenset[str]
    suspended: bool = False
    buyer: Member | None = None

    @property
    def acting_buyer(self) -> Member:
        """The buyer a buyer token acts for; routes that need one declare `Scoped(buyer=True)`."""
        if self.buyer is None:
            raise ApiError("buyer_required")
        return self.buyer

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


@dataclass(frozen=True)
class _Lookup:
    """The token lookup's SQL, written once per database: what the ORM query below would send."""

    sql: str
    # Per model: its class, the attnames it is built from, and each column with its converters.
    layout: tuple[tuple[type[Model], list[str], list[tuple[Col, list]]], ...]


def _column(model: type[Model], name: str, quote) -> str:
    return quote(model._meta.get_field(name).column)  # type: ignore[union-attr]


@cache
def _lookup_for(alias: str) -> _Lookup:
    """The SELECT behind `load_token`, built from the models' metadata.

    Equivalent to
        AccessToken.objects.select_related("application", "user", "user__shop")
            .annotate(app_suspended=Exists(suspended subscription of (app, user's shop)))
            .filter(token_checksum=...)
    which the ORM rebuilt and compiled on every call (1.6-2 ms of CPU, more than the rest of
    the gateway). Reading the token on every call is what makes a revoked token dead at once,
    so the row is still read each time; only the compiling is done once."""
    db = connections[alias]
    qn = db.ops.quote_name
    token_model = get_access_token_model()
    tables: tuple[tuple[type[Model], str], ...] = (
        (token_model, "t"),
        (App, "a"),
        (Member, "u"),
        (Shop, "s"),
    )
    columns, layout = [], []
    for model, table_alias in tables:
        fields = model._meta.concrete_fields
        columns += [f"{table_alias}.{qn(str(field.column))}" for field in fields]
        converters = []
        for field in fields:
            expression = field.get_col(table_alias)
            funcs = db.ops.get_db_converters(expression) + expression.get_db_converters(db)
            converters.append((expression, funcs))
        layout.append((model, [field.attname for field in fields], converters))

    def c(model: type[Model], name: str) -> str:
        return _column(model, name, qn)

    def pk(model: type[Model]) -> str:
        return qn(str(model._meta.pk.column))

    def table(model: type[Model]) -> str:
        return qn(model._meta.db_table)

    # Identifiers come from our models, quoted by the backend; the two values are parameters.
    suspended = (
        f"EXISTS (SELECT 1 FROM {table(Subscription)} x"  # noqa: S608
        f" INNER JOIN {table(Installation)} i ON i.{pk(Installation)} = x.{c(Subscription, 'installation')}"
        f" INNER JOIN {table(Shop)} o ON o.{pk(Shop)} = i.{c(Installation, 'shop')}"
        f" WHERE i.{c(Installation, 'app')} = t.{c(token_model, 'application')}"
        f" AND o.{c(Shop, 'owner')} = t.{c(token_model, 'user')}"
        f" AND x.{c(Subscription, 'status')} = %s)"
    )
    sql = (
        f"SELECT {', '.join(columns)}, {suspended}"  # noqa: S608
        f" FROM {table(token_model)} t"
        f" INNER JOIN {table(App)} a ON a.{pk(App)} = t.{c(token_model, 'application')}"
        f" LEFT OUTER JOIN {table(Member)} u ON u.{pk(Member)} = t.{c(token_model, 'user')}"
        f" LEFT OUTER JOIN {table(Shop)} s ON s.{c(Shop, 'owner')} = u.{pk(Member)}"
        f" WHERE t.{c(token_model, 'token_checksum')} = %s"
    )
    return _Lookup(sql=sql, layout=tuple(layout))


def _build(model: type[Model], alias: str, attnames: list[str], converters, values) -> Any:
    """One model instance from its slice of the row, converted as the ORM converts it."""
    if values[0] is None:  # no primary key: the outer join found nothing
        return None
    converted = []
    db = connections[alias]
    for value, (expression, funcs) in zip(values, converters, strict=True):
        for func in funcs:
            value = func(value, expression, db)
        converted.append(value)
    return model.from_db(alias, attnames, converted)


def load_token(raw: str) -> Any:
    """DOT's own lookup: tokens are found by the SHA-256 checksum of the raw value; with the
    token come its app, its member and the member's shop, and whether the app is suspended on
    that shop — one indexed query, the row read fresh on every call."""
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    alias = router.db_for_read(get_access_token_model())
    lookup = _lookup_for(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(lookup.sql, [Subscription.Status.SUSPENDED.value, checksum])
        row = cursor.fetchone()
    if row is None:
        return None
    built, start = [], 0
    for model, attnames, converters in lookup.layout:
        end = start + len(attnames)
        built.append(_build(model, alias, attnames, converters, row[start:end]))
        start = end
    token, app, user, shop = built
    # The relations the ORM's select_related would have cached, so nothing queries for them.
    token.application = app
    token.user = user
    if user is not None:
        Member.shop.related.set_cached_value(user, shop)
        if shop is not None:
            shop.owner = user
    token.app_suspended = bool(row[start])
    return token


def caller_for(raw: str) -> tuple[Caller, bool]:
    """The caller a token speaks for, and whether the token has expired."""
    token = load_token(raw)
    if token is None or token.application is None:
        raise ApiError("invalid_token", headers=_challenge("invalid_token"))
    user = token.user
    scopes = frozenset(token.scope.split())
    for_buyer = user is not None and buyer_grants.is_buyer_grant(scopes)
    caller = Caller(
        token_id=token.pk,
        app=token.application,
        user=user,
        shop=getattr(user, "shop", None) if user is not None and not for_buyer else None,
        scopes=scopes,
        suspended=token.app_suspended and not for_buyer,
        buyer=user if for_buyer else None,
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
    """Require a token granting any one of `scopes`; `shop=False` for app-level (catalog) reads;
    `buyer=True` for the buyer routes under /me, which only a buyer's token may call."""

    def __init__(self, *scopes: str, shop: bool = True, buyer: bool = False):
        super().__init__()
        if not scopes:
            raise ValueError("name at least one scope")
        self.scopes = scopes
        self.needs_buyer = buyer
        self.needs_shop = shop and not buyer

    def authenticate(self, plain: HttpRequest, token: str) -> Caller:
        request = cast(ApiRequest, plain)  # what the bearer check adds to it
        caller, expired = caller_for(token)
        request.caller = caller  # the call log files even a refused call under its app
        if expired:
            raise ApiError(
                "token_expired", headers=_challenge("invalid_token", "The token expired")
            )
        decision = ratelimit.take(
            caller.app.pk,
            caller.shop.pk if caller.shop else None,
            caller.app.tier,
            buyer_id=caller.buyer.pk if caller.buyer else None,
        )
        request.api_rate = decision
        if not decision.allowed:
            raise ApiError("rate_limited", headers={"Retry-After": str(decision.retry_after)})
        if self.needs_buyer and caller.buyer is None:
            raise ApiError("buyer_required")
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
        if caller.buyer is not None:
            buyer_grants.used(caller.buyer, caller.app)
        return caller
