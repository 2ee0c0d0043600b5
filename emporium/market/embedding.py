"""Embedded app pages: the URL of an installed app's admin page with a short-lived session token.

The token is a JWT (HS256) signed with the app's client secret, which the app already holds, so
it can check the token without calling us: `iss` the platform, `aud` its client id, `dest` and
`shop` the shop's public id, `sub` the seller, `iat`/`nbf`/`exp` (60 seconds), a unique `jti`.
"""

import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
from django.conf import settings

from emporium.ecosystem.registration import unsealed_secret
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.market.models import Listing
from emporium.members.models import Member
from emporium.shops.models import Shop


class NotEmbeddable(DomainError):
    """The app cannot be embedded; `code` says why (no admin page, or its secret is not sealed)."""

    def __init__(self, code: str):
        super().__init__(code, code=code)


def session_token(listing: Listing, shop: Shop, seller: Member, issuer: str) -> str:
    secret = unsealed_secret(listing.app)
    if secret is None:
        # Apps registered before secrets were sealed: only a rotation gives us one to sign with.
        raise NotEmbeddable("secret_not_sealed")
    now = int(clock.now().timestamp())
    claims = {
        "iss": issuer,
        "aud": listing.app.client_id,
        "dest": str(shop.public_id),
        "shop": str(shop.public_id),
        "sub": str(seller.public_id),
        "iat": now,
        "nbf": now,
        "exp": now + settings.APP_SESSION_TOKEN_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def with_query(url: str, **params: str) -> str:
    """`url` with these query parameters added (replacing any of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(query + list(params.items()))))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def embed_url(listing: Listing, shop: Shop, seller: Member, issuer: str, locale: str = "en") -> str:
    """The app's reviewed admin page with a session token, the seller center's language (as
    Shopify passes `locale`) and the seller's time zone (`tz`, an IANA name), so the app can speak
    the one and show times in the other."""
    if not listing.live_app_url:
        raise NotEmbeddable("no_app_url")
    token = session_token(listing, shop, seller, issuer)
    return with_query(listing.live_app_url, session=token, locale=locale, tz=seller.timezone)
