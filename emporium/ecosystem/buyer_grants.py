"""Buyers authorizing apps for themselves: buyer scopes, the pairwise id an app knows a buyer by,
the daily spending limit, last use and revocation (docs/oauth.md, "Buyer apps")."""

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from emporium.ecosystem.models import App, BuyerGrant, PaymentRequest
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.members.models import Member

BUYER_PREFIX = "buyer:"
# Scopes a token of either kind may carry: the public catalog belongs to no shop and no buyer.
NEUTRAL_SCOPES = frozenset({"catalog:read"})
MAX_SPENDING_LIMIT = Decimal("50000.00")
# Last use is written at most this often per grant: a buyer app's every call would otherwise write.
LAST_USE_RESOLUTION = timedelta(minutes=1)

# The consent screens' words for buyer scopes, in the buyer's language (settings keep the English).
SCOPE_WORDS = {
    "buyer:profile": gettext_lazy("See your display name and the private id this app knows you by"),
    "buyer:addresses": gettext_lazy("See your shipping addresses"),
    "buyer:orders:read": gettext_lazy("See your orders and their state"),
    "buyer:orders:write": gettext_lazy("Place orders for you and confirm receipt"),
    "buyer:pay": gettext_lazy(
        "Ask you to pay for orders (you confirm, or it fits the daily limit you set)"
    ),
    "catalog:read": gettext_lazy("Read the public catalog"),
}


class BuyerGrantError(DomainError):
    """A rule of buyer authorization refused the request."""


def is_buyer_scope(scope: str) -> bool:
    return scope.startswith(BUYER_PREFIX)


def is_buyer_grant(scopes: Iterable[str]) -> bool:
    """A grant is a buyer's when it carries any buyer scope (it then carries no shop scope)."""
    return any(is_buyer_scope(scope) for scope in scopes)


def mixes_kinds(scopes: Iterable[str]) -> bool:
    """Whether the scopes ask for a buyer's and a shop's access at once (never granted)."""
    wanted = set(scopes) - NEUTRAL_SCOPES
    buyer = {scope for scope in wanted if is_buyer_scope(scope)}
    return bool(buyer) and bool(wanted - buyer)


def scope_rows(scopes: Iterable[str]) -> list[tuple[str, str]]:
    """(scope, plain words) for a consent screen."""
    return [(scope, str(SCOPE_WORDS.get(scope, scope))) for scope in scopes]


def parse_spending_limit(raw: str | None) -> Decimal:
    """The amount per day a buyer lets an app pay without asking: 0 to 50,000, in cents."""
    text = (raw or "").strip() or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("-1")
    if not amount.is_finite() or amount < 0 or amount > MAX_SPENDING_LIMIT:
        raise BuyerGrantError(
            _("A daily limit is an amount from 0 to %(max)s.") % {"max": MAX_SPENDING_LIMIT},
            field="spending_limit",
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise BuyerGrantError(_("A daily limit has at most two decimals."), field="spending_limit")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def consent(
    member: Member, app: App, scopes: Iterable[str], spending_limit: Decimal = Decimal("0.00")
) -> BuyerGrant:
    """The buyer authorized the app for these scopes (on the consent page or /device)."""
    scope_text = " ".join(sorted(set(scopes)))
    if not is_buyer_grant(scope_text.split()) or mixes_kinds(scope_text.split()):
        raise BuyerGrantError(_("A buyer authorizes buyer scopes only."), field="scope")
    limit = spending_limit if "buyer:pay" in scope_text.split() else Decimal("0.00")
    now = clock.now()
    grant, created = BuyerGrant.objects.select_for_update().get_or_create(
        member=member,
        app=app,
        defaults={"scopes": scope_text, "spending_limit": limit, "granted_at": now},
    )
    if not created:
        grant.scopes, grant.spending_limit = scope_text, limit
        grant.granted_at, grant.revoked_at = now, None
        grant.save(update_fields=["scopes", "spending_limit", "granted_at", "revoked_at"])
    return grant


def active_grant(member: Member, app: App) -> BuyerGrant | None:
    return BuyerGrant.objects.active().filter(member=member, app=app).first()


def buyer_app_id(member: Member, app: App) -> str | None:
    """The stable pairwise id the app knows this buyer by (what /me/profile returns), or None
    when the buyer has not authorized the app or revoked it."""
    return (
        BuyerGrant.objects.active()
        .filter(member=member, app=app)
        .values_list("buyer_id", flat=True)
        .first()
    )


def buyer_app_ids(member: Member) -> dict[int, str]:
    """Every app's pairwise id for this buyer, by app id, in one query: what a page showing
    several apps' blocks gives each of them."""
    return dict(BuyerGrant.objects.active().filter(member=member).values_list("app_id", "buyer_id"))


def used(member: Member, app: App) -> None:
    """Note that the app acted for the buyer now (shown on the connected-apps page)."""
    now = clock.now()
    BuyerGrant.objects.filter(member=member, app=app).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_RESOLUTION)
    ).update(last_used_at=now)


def buyer_tokens(app: App, member: Member) -> QuerySet:
    """The member's buyer access tokens for the app (never their shop's tokens)."""
    return get_access_token_model().objects.filter(
        application=app, user=member, scope__contains=BUYER_PREFIX
    )


def revoke_buyer_tokens(app: App, member: Member, keep_checksum: str | None = None) -> None:
    """Revoke the member's buyer token pairs for the app, except the access token `keep_checksum`."""
    refresh_tokens = get_refresh_token_model().objects.filter(
        application=app,
        user=member,
        revoked__isnull=True,
        access_token__scope__contains=BUYER_PREFIX,
    )
    if keep_checksum:
        refresh_tokens = refresh_tokens.exclude(access_token__token_checksum=keep_checksum)
    for refresh in refresh_tokens:
        refresh.revoke()  # also deletes its access token
    access = buyer_tokens(app, member)
    if keep_checksum:
        access = access.exclude(token_checksum=keep_checksum)
    for token in access:
        token.revoke()


@transaction.atomic
def revoke(member: Member, app: App) -> BuyerGrant | None:
    """The buyer withdrew the app's access: its tokens die at once, its unconfirmed payment
    requests can no longer be confirmed, and its pairwise id reads as None until re-authorized."""
    grant = BuyerGrant.objects.select_for_update().filter(member=member, app=app).first()
    if grant is None or not grant.active:
        return grant
    revoke_buyer_tokens(app, member)
    grant.revoked_at = clock.now()
    grant.save(update_fields=["revoked_at"])
    PaymentRequest.objects.filter(
        buyer=member, app=app, status=PaymentRequest.Status.PENDING
    ).update(status=PaymentRequest.Status.VOID, decided_at=grant.revoked_at)
    return grant


def grants_of(member: Member) -> list[BuyerGrant]:
    """Every app the buyer authorized and has not revoked, most recent first."""
    return list(
        BuyerGrant.objects.active()
        .filter(member=member)
        .select_related("app__user")
        .order_by("-granted_at")
    )


def authorization_count(app: App) -> int:
    """How many buyers have the app authorized now (the developer sees a count, never who)."""
    return BuyerGrant.objects.active().filter(app=app).count()
