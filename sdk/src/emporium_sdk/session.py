"""Verify an embedded app's session token: a JWT (HS256) the platform signs with the app's client secret.

Only HS256 is accepted, whatever the token's header says: a token naming "none" or another
algorithm is refused before anything else is read (the classic JWT algorithm confusion).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

from pydantic import BaseModel

from emporium_sdk.errors import SessionTokenError

MAX_LIFETIME = 60  # seconds between iat and exp
LEEWAY = 5  # seconds of clock skew allowed


class SessionToken(BaseModel):
    """Who is looking at the embedded app: the shop (and the seller, `sub`) with its claims."""

    shop_id: str
    aud: str
    exp: int
    iat: int
    nbf: int | None = None
    sub: str | None = None
    iss: str | None = None
    jti: str | None = None
    claims: dict[str, Any]


def _b64(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise SessionTokenError("malformed token") from None


def _json(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64(segment))
    except ValueError:
        raise SessionTokenError("malformed token") from None
    if not isinstance(value, dict):
        raise SessionTokenError("malformed token")
    return value


def _int_claim(claims: dict[str, Any], name: str, required: bool = True) -> int | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise SessionTokenError(f"the {name} claim is missing or not a number")
    return int(value)


def verified_claims(
    token: str,
    *,
    client_id: str,
    client_secret: str,
    now: float | None,
    leeway: int,
    max_lifetime: int,
) -> dict[str, Any]:
    """The claims of an HS256 JWT signed with this secret, for this app, fresh and not too long
    lived; else SessionTokenError. Shared by session tokens and block contexts."""
    parts = token.split(".")
    if len(parts) != 3:
        raise SessionTokenError("malformed token")
    header_b64, payload_b64, signature_b64 = parts
    header = _json(header_b64)
    if header.get("alg") != "HS256":
        raise SessionTokenError(f"algorithm {header.get('alg')!r} refused; only HS256 is accepted")
    expected = hmac.new(
        client_secret.encode(), f"{header_b64}.{payload_b64}".encode("ascii"), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(expected, _b64(signature_b64)):
        raise SessionTokenError("bad signature")
    claims = _json(payload_b64)
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise SessionTokenError("the token is for another app (aud)")
    now = time.time() if now is None else now
    exp, iat = _int_claim(claims, "exp"), _int_claim(claims, "iat")
    nbf = _int_claim(claims, "nbf", required=False)
    assert exp is not None and iat is not None
    if now >= exp + leeway:
        raise SessionTokenError("the token has expired")
    if nbf is not None and now < nbf - leeway:
        raise SessionTokenError("the token is not valid yet (nbf)")
    if exp - iat > max_lifetime:
        raise SessionTokenError("the token lives longer than a token of its kind may")
    return claims


def verify_session_token(
    token: str,
    *,
    client_id: str,
    client_secret: str,
    now: float | None = None,
    leeway: int = LEEWAY,
) -> SessionToken:
    """The token's claims if it is ours, for this app, and fresh; else SessionTokenError."""
    claims = verified_claims(
        token, client_id=client_id, client_secret=client_secret, now=now, leeway=leeway,
        max_lifetime=MAX_LIFETIME,
    )  # fmt: skip
    exp, iat = _int_claim(claims, "exp"), _int_claim(claims, "iat")
    nbf = _int_claim(claims, "nbf", required=False)
    assert exp is not None and iat is not None
    shop = claims.get("dest") or claims.get("shop")
    if not isinstance(shop, str) or not shop:
        raise SessionTokenError("the token names no shop (dest)")
    text = {k: str(claims[k]) for k in ("sub", "iss", "jti") if claims.get(k) is not None}
    return SessionToken(
        shop_id=shop, aud=client_id, exp=exp, iat=iat, nbf=nbf, claims=claims, **text
    )
