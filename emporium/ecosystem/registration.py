"""App registration rules: checking what a developer enters, issuing and rotating client secrets.

A client secret exists in plain text only in the response that shows it to the developer; the
database keeps django-oauth-toolkit's hash of it (`hash_client_secret=True`), and a sealed copy
(encrypted with a key derived from SECRET_KEY) that the market signs embedded-app session tokens
with — a hash cannot sign (docs/market.md).
"""

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret

from emporium.ecosystem.models import App
from emporium.lib import clock, sealing
from emporium.lib.errors import DomainError
from emporium.members.models import Member

MAX_NAME = 80
MAX_URL = 500
MAX_REDIRECT_URIS = 10
# Plain http is allowed only where nothing travels over a network: the developer's own machine.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class AppError(DomainError):
    """An app registration rule was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AppError(_("Give your app a name."), "name")
    if len(name) > MAX_NAME:
        raise AppError(_("An app name has at most %(n)s characters.") % {"n": MAX_NAME}, "name")
    return name


def check_callback_url(url: str, field: str) -> str:
    """An absolute https URL (http only on a loopback host), without fragment, user or wildcard."""
    if len(url) > MAX_URL:
        raise AppError(_("A URL has at most %(n)s characters.") % {"n": MAX_URL}, field)
    if not url.isprintable() or any(c.isspace() for c in url):
        raise AppError(_("A URL must not contain spaces or control characters."), field)
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        raise AppError(_("%(url)s has an invalid port.") % {"url": url}, field) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise AppError(_("%(url)s is not an absolute https:// URL.") % {"url": url}, field)
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise AppError(
            _("%(url)s must use https (http is allowed only for 127.0.0.1 and localhost).")
            % {"url": url},
            field,
        )
    if "#" in url:
        raise AppError(_("%(url)s must not contain a fragment (#).") % {"url": url}, field)
    if "@" in parts.netloc:
        raise AppError(_("%(url)s must not contain a user name or password.") % {"url": url}, field)
    if "*" in url:
        raise AppError(_("%(url)s: wildcards are not allowed.") % {"url": url}, field)
    return url


def check_redirect_uris(text: str | Iterable[str]) -> list[str]:
    """Whitespace-separated (or a list of) redirect URIs; each is later matched exactly."""
    uris = text.split() if isinstance(text, str) else [u.strip() for u in text if u.strip()]
    uris = list(dict.fromkeys(uris))
    if not uris:
        raise AppError(_("Enter at least one redirect URI."), "redirect_uris")
    if len(uris) > MAX_REDIRECT_URIS:
        raise AppError(
            _("An app has at most %(n)s redirect URIs.") % {"n": MAX_REDIRECT_URIS}, "redirect_uris"
        )
    return [check_callback_url(uri, "redirect_uris") for uri in uris]


def check_webhook_url(url: str) -> str:
    url = url.strip()
    return check_callback_url(url, "webhook_url") if url else ""


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes, in the order settings list them (so the consent screen reads the same)."""
    known = settings.OAUTH2_PROVIDER["SCOPES"]
    wanted = set(scopes)
    unknown = wanted - set(known)
    if unknown:
        raise AppError(
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(sorted(unknown))}, "scopes"
        )
    if not wanted:
        raise AppError(_("Choose at least one scope."), "scopes")
    return [scope for scope in known if scope in wanted]


@transaction.atomic
def register_app(
    developer: Member,
    *,
    name: str,
    redirect_uris: str | Iterable[str],
    scopes: Iterable[str],
    webhook_url: str = "",
) -> tuple[App, str]:
    """Register a confidential app; returns it with its client secret in plain text (shown once)."""
    secret = generate_client_secret()
    app = App(
        user=developer,
        name=check_name(name),
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(check_redirect_uris(redirect_uris)),
        webhook_url=check_webhook_url(webhook_url),
        requested_scopes=" ".join(check_scopes(scopes)),
        client_secret=secret,
        hash_client_secret=True,
        sealed_secret=seal_secret(secret),
    )
    app.save()  # ClientSecretField hashes the secret on save
    _follow_webhook_url(app, previous="")
    if not developer.is_developer:
        Member.objects.filter(pk=developer.pk).update(is_developer=True)
        developer.is_developer = True
    return app, secret


def update_app(
    app: App,
    *,
    name: str,
    redirect_uris: str | Iterable[str],
    scopes: Iterable[str],
    webhook_url: str = "",
) -> App:
    """Tokens already issued keep the scopes they were granted until the seller authorizes again."""
    previous = app.webhook_url
    app.name = check_name(name)
    app.redirect_uris = " ".join(check_redirect_uris(redirect_uris))
    app.webhook_url = check_webhook_url(webhook_url)
    app.requested_scopes = " ".join(check_scopes(scopes))
    app.save(update_fields=["name", "redirect_uris", "webhook_url", "requested_scopes", "updated"])
    _follow_webhook_url(app, previous)
    return app


def _follow_webhook_url(app: App, previous: str) -> None:
    """The form's webhook URL is the app's first endpoint, on every topic its scopes allow;
    more endpoints, with chosen topics, are kept on the app's webhooks page."""
    from emporium.events.models import WebhookEndpoint

    if not app.webhook_url or app.webhook_url == previous:
        return
    moved = previous and WebhookEndpoint.objects.filter(app=app, url=previous).update(
        url=app.webhook_url
    )
    if not moved and not WebhookEndpoint.objects.filter(app=app, url=app.webhook_url).exists():
        WebhookEndpoint.objects.create(app=app, url=app.webhook_url, topics=["*"])


def delete_app(app: App) -> None:
    """Its grants and tokens go with it (their foreign keys cascade), so every token stops working."""
    app.delete()


def seal_secret(secret: str) -> str:
    return sealing.seal(secret, settings.SECRET_KEY)


def unsealed_secret(app: App) -> str | None:
    """The app's current client secret in plain text, or None when it was never sealed (an app
    made before sealing, which must rotate its secret) or SECRET_KEY changed since."""
    if not app.sealed_secret:
        return None
    try:
        return sealing.unseal(app.sealed_secret, settings.SECRET_KEY)
    except sealing.Unsealable:
        return None


def secret_overlap() -> timedelta:
    return timedelta(hours=settings.OAUTH_SECRET_OVERLAP_HOURS)


@transaction.atomic
def rotate_secret(app: App) -> str:
    """Issue a new secret (returned in plain text, shown once); the one it replaces keeps working
    for OAUTH_SECRET_OVERLAP_HOURS. A second rotation inside that window retires the oldest."""
    locked = App.objects.select_for_update().get(pk=app.pk)
    secret = generate_client_secret()
    locked.previous_secret_hash = locked.client_secret
    locked.previous_secret_expires_at = clock.now() + secret_overlap()
    locked.client_secret = secret
    locked.sealed_secret = seal_secret(secret)
    fields = [
        "client_secret",
        "sealed_secret",
        "previous_secret_hash",
        "previous_secret_expires_at",
        "updated",
    ]
    locked.save(update_fields=fields)
    for field in fields:
        setattr(app, field, getattr(locked, field))
    return secret


def secret_matches(provided: str, stored: str) -> bool:
    """As django-oauth-toolkit compares: against a hash, or in constant time against plain text."""
    if not provided or not stored:
        return False
    try:
        identify_hasher(stored)
    except ValueError:
        return constant_time_compare(provided, stored)
    return check_password(provided, stored)


def previous_secret_accepted(app: App, provided: str) -> bool:
    """The replaced secret still authenticates the app inside the overlap window."""
    expires = app.previous_secret_expires_at
    if not app.previous_secret_hash or expires is None or clock.now() >= expires:
        return False
    return secret_matches(provided, app.previous_secret_hash)
