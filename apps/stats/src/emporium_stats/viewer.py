"""Who may see a dashboard: the platform's session token opens it, then a view pass of our own.

The platform hands the embedded page a session token that lives 60 seconds; the dashboard stays
open much longer and fetches data for minutes. So once the session token is verified (with the
SDK), the app issues its own pass — the shop id and an expiry, signed with a key derived from
the client secret — carried by the page in its data requests. No cookie is set: the app runs in
an iframe of another site, where browsers restrict cookies.
"""

import base64
import hashlib
import hmac
import json
import time

from emporium_sdk import SessionTokenError, verify_session_token

PASS_SECONDS = 8 * 3600


class NotAllowed(Exception):
    pass


def _key(client_secret: str) -> bytes:
    return hashlib.sha256(b"emporium-stats view pass\x00" + client_secret.encode()).digest()


def open_session(session_token: str, client_id: str, client_secret: str) -> str:
    """Verify the platform's session token; returns the shop id it names."""
    try:
        claims = verify_session_token(
            session_token, client_id=client_id, client_secret=client_secret
        )
    except SessionTokenError as error:
        raise NotAllowed(str(error)) from None
    return claims.shop_id


def issue_pass(shop_id: str, client_secret: str, now: float | None = None) -> str:
    body = json.dumps({"shop": shop_id, "exp": int((now or time.time()) + PASS_SECONDS)})
    raw = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    mac = hmac.new(_key(client_secret), raw.encode(), hashlib.sha256).hexdigest()
    return f"{raw}.{mac}"


def check_pass(view_pass: str, client_secret: str, now: float | None = None) -> str:
    """The shop id a view pass was issued for, if it is genuine and not expired."""
    raw, _, mac = (view_pass or "").partition(".")
    expected = hmac.new(_key(client_secret), raw.encode(), hashlib.sha256).hexdigest()
    if not raw or not hmac.compare_digest(expected, mac):
        raise NotAllowed("bad view pass")
    body = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    if body["exp"] < (now or time.time()):
        raise NotAllowed("the view pass expired: open the app again from the seller center")
    return str(body["shop"])
