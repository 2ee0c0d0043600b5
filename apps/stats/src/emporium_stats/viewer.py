"""Who may see a dashboard: the platform's session token opens it, then a view pass of our own.

The platform hands the embedded page a session token that lives 60 seconds; the dashboard stays
open much longer and fetches data for minutes. So once the session token is verified (with the
SDK), the app issues its own pass (the SDK's `viewpass`) — the shop id and an expiry, signed
with a key derived from the client secret — carried by the page in its data requests. No cookie
is set: the app runs in an iframe of another site, where browsers restrict cookies.
"""

import hashlib
import threading
import time

from emporium_sdk import SessionTokenError, verify_session_token, viewpass

PASS_SECONDS = viewpass.PASS_SECONDS
PURPOSE = "stats"


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
    return viewpass.issue_pass(shop_id, client_secret, purpose=PURPOSE, now=now)


def check_pass(view_pass: str, client_secret: str, now: float | None = None) -> str:
    """The shop id a view pass was issued for, if it is genuine and not expired (whether the
    shop still has the app is `check_installed`'s question)."""
    try:
        return viewpass.check_pass(view_pass, client_secret, purpose=PURPOSE, now=now)
    except viewpass.ViewPassError as error:
        raise NotAllowed(str(error)) from None


def check_installed(
    view_pass: str, client_secret: str, installed: bool, installed_at: float
) -> None:
    """A pass ends with the install it was issued under: refused once the shop uninstalled the
    app, and after a reinstall when it was issued before it."""
    issued = viewpass.issued_at(view_pass, client_secret, purpose=PURPOSE)
    if not installed or issued < installed_at:
        raise NotAllowed("the app is no longer installed on this shop")


class Attempts:
    """Failed attempts per key within a sliding window, in this process (the app runs one)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = kept
        return kept

    def allowed(self, key: str, now: float | None = None) -> bool:
        with self._lock:
            return len(self._recent(key, now or time.time())) < self.limit

    def failed(self, key: str, now: float | None = None) -> None:
        with self._lock:
            self._recent(key, now or time.time()).append(now or time.time())
