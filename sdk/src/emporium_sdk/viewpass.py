"""A view pass: what an embedded app hands its page after the platform's session token checked out.

The platform's session token lives 60 seconds; an embedded page works for hours. Once the
session token is verified (`verify_session_token`), the app issues its own pass — the shop id
and an expiry, signed with a key derived from the client secret and the app's purpose — that the
page sends with each request. No cookie: the app runs in an iframe of another site, where
browsers restrict cookies.

    view_pass = issue_pass(claims.shop_id, client_secret, purpose="decor")
    shop_id = check_pass(view_pass, client_secret, purpose="decor")  # ViewPassError if not
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time

PASS_SECONDS = 8 * 3600


class ViewPassError(Exception):
    """A pass that is forged, garbled, for another purpose, or expired."""


def _key(client_secret: str, purpose: str) -> bytes:
    seed = f"emporium view pass\x00{purpose}\x00".encode() + client_secret.encode()
    return hashlib.sha256(seed).digest()


def issue_pass(
    shop_id: str,
    client_secret: str,
    *,
    purpose: str,
    seconds: float = PASS_SECONDS,
    now: float | None = None,
) -> str:
    """A pass naming `shop_id`, good for `seconds`."""
    issued = time.time() if now is None else now
    body = {"shop": shop_id, "iat": issued, "exp": int(issued + seconds)}
    raw = base64.urlsafe_b64encode(json.dumps(body).encode())
    text = raw.decode().rstrip("=")
    mac = hmac.new(_key(client_secret, purpose), text.encode(), hashlib.sha256).hexdigest()
    return f"{text}.{mac}"


def check_pass(
    view_pass: str, client_secret: str, *, purpose: str, now: float | None = None
) -> str:
    """The shop id of a genuine, unexpired pass; `ViewPassError` otherwise."""
    body = _genuine_body(view_pass, client_secret, purpose)
    try:
        shop, expires = str(body["shop"]), float(body["exp"])  # type: ignore[arg-type]
    except (ValueError, KeyError, TypeError):
        raise ViewPassError("bad view pass") from None
    if expires < (time.time() if now is None else now):
        raise ViewPassError("the view pass expired: open the app again from the seller center")
    return shop


def issued_at(view_pass: str, client_secret: str, *, purpose: str) -> float:
    """When a genuine pass was issued (0 for a pass older than this field): an app that must end
    passes with an install compares it with the time of the install."""
    try:
        return float(_genuine_body(view_pass, client_secret, purpose).get("iat", 0))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise ViewPassError("bad view pass") from None


def _genuine_body(view_pass: str, client_secret: str, purpose: str) -> dict[str, object]:
    text, _, mac = (view_pass or "").partition(".")
    expected = hmac.new(_key(client_secret, purpose), text.encode(), hashlib.sha256).hexdigest()
    if not text or not hmac.compare_digest(expected, mac):
        raise ViewPassError("bad view pass")
    try:
        body = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        raise ViewPassError("bad view pass") from None
    if not isinstance(body, dict):
        raise ViewPassError("bad view pass")
    return body
