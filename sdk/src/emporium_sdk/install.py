"""Installing an app on a shop: authorization start, callback, code exchange, token saved by shop.

    installer = Installer(oauth, tokens, SqlitePendingStore("var/myapp/pending.sqlite3"),
                          scopes=["shop:read", "items:read"])
    url = installer.start()                        # redirect the seller's browser there
    installed = installer.finish(callback_query)   # on the redirect back: who installed
    with installer.client(installed.shop_id) as client:
        ...

The `state` and the PKCE verifier of an authorization under way stay on the app's server, in a
`PendingStore`: the browser only ever carries the state. A state is good once, and only for a
few minutes; an unknown, used or stale one is refused before any code is exchanged.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from emporium_sdk.client import AsyncClient, Client
from emporium_sdk.errors import OAuthError
from emporium_sdk.models import ShopOut
from emporium_sdk.oauth import OAuthApp, Token, TokenStore

PENDING_SECONDS = 10 * 60  # long enough to read a consent screen, short enough to be no risk


@dataclass(frozen=True)
class Pending:
    """An authorization under way: its state, PKCE verifier and when it started (Unix time)."""

    state: str
    code_verifier: str
    started_at: float


class PendingStore(Protocol):
    """Where an app keeps authorizations under way until their callback comes back."""

    def put(self, pending: Pending) -> None: ...

    def take(self, state: str) -> Pending | None:
        """The pending authorization of `state`, removed in the same step (None: unknown/used)."""
        ...


class MemoryPendingStore:
    """In this process only: an app restart (or a second worker) forgets what is under way."""

    def __init__(self) -> None:
        self._pending: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def put(self, pending: Pending) -> None:
        with self._lock:
            self._pending[pending.state] = pending

    def take(self, state: str) -> Pending | None:
        with self._lock:
            return self._pending.pop(state, None)


class SqlitePendingStore:
    """In one SQLite file: survives a restart and is shared by every process of the app."""

    def __init__(self, path: str | Path, *, keep_seconds: float = PENDING_SECONDS) -> None:
        self.path = Path(path)
        self.keep_seconds = keep_seconds
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS pending_authorization ("
                " state TEXT PRIMARY KEY, code_verifier TEXT NOT NULL, started_at REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        # Autocommit: every statement below is one atomic step of its own.
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def put(self, pending: Pending) -> None:
        with closing(self._connect()) as db:
            # Abandoned authorizations are swept here, so the table never grows without end.
            db.execute(
                "DELETE FROM pending_authorization WHERE started_at < ?",
                (time.time() - self.keep_seconds,),
            )
            db.execute(
                "INSERT INTO pending_authorization VALUES (?, ?, ?)",
                (pending.state, pending.code_verifier, pending.started_at),
            )

    def take(self, state: str) -> Pending | None:
        with closing(self._connect()) as db:
            # One statement finds and deletes: two callbacks with one state can't both get it.
            row = db.execute(
                "DELETE FROM pending_authorization WHERE state = ?"
                " RETURNING state, code_verifier, started_at",
                (state,),
            ).fetchone()
        return Pending(str(row[0]), str(row[1]), float(row[2])) if row else None


@dataclass(frozen=True)
class Installation:
    """A finished installation: the shop that granted access and the token it granted."""

    shop: ShopOut
    token: Token

    @property
    def shop_id(self) -> str:
        return self.shop.id


def query_of(callback: str | Mapping[str, str]) -> dict[str, str]:
    """The parameters of a callback, given as its full URL, its query string, or a mapping."""
    if not isinstance(callback, str):
        return dict(callback)
    query = urlsplit(callback).query if "?" in callback or "://" in callback else callback
    return {key: values[0] for key, values in parse_qs(query).items()}


class Installer:
    """Installs the app on shops and gives a client per installed shop.

    `tokens` holds one token pair per shop id (the app's own storage, e.g. `JsonFileTokenStore`);
    `pending` holds authorizations under way (default: in memory, for one process).
    """

    def __init__(
        self,
        oauth: OAuthApp,
        tokens: TokenStore,
        pending: PendingStore | None = None,
        *,
        scopes: list[str] | None = None,
        pending_seconds: float = PENDING_SECONDS,
    ) -> None:
        self.oauth = oauth
        self.tokens = tokens
        self.pending = pending if pending is not None else MemoryPendingStore()
        self.scopes = scopes
        self.pending_seconds = pending_seconds

    def start(self, scopes: list[str] | None = None, *, now: float | None = None) -> str:
        """The platform's consent URL to send the seller's browser to (state kept server-side)."""
        request = self.oauth.authorization_url(scopes or self.scopes)
        started = time.time() if now is None else now
        self.pending.put(Pending(request.state, request.code_verifier, started))
        return request.url

    def finish(
        self, callback: str | Mapping[str, str], *, now: float | None = None
    ) -> Installation:
        """Check the callback, exchange its code, save the token under the shop's id.

        Raises `OAuthError`: `invalid_state` for a state this app did not start or already
        used, `expired_state` for one older than `pending_seconds`, or the platform's refusal.
        """
        code, pending = self._checked(callback, now)
        token = self.oauth.exchange_code(code, pending.code_verifier)
        with Client(self.oauth.base_url, access_token=token.access_token) as client:
            shop = client.shop.get()
        self.tokens.save(shop.id, token)
        return Installation(shop=shop, token=token)

    async def finish_async(
        self, callback: str | Mapping[str, str], *, now: float | None = None
    ) -> Installation:
        """`finish` for an async app: the exchange and the shop lookup are awaited."""
        code, pending = self._checked(callback, now)
        token = await self.oauth.exchange_code_async(code, pending.code_verifier)
        async with AsyncClient(self.oauth.base_url, access_token=token.access_token) as client:
            shop = await client.shop.get()
        self.tokens.save(shop.id, token)
        return Installation(shop=shop, token=token)

    def _checked(self, callback: str | Mapping[str, str], now: float | None) -> tuple[str, Pending]:
        """The callback's code and its pending authorization, once every check has passed."""
        query = query_of(callback)
        pending = self.pending.take(query.get("state", ""))
        if pending is None:
            raise OAuthError("invalid_state", "unknown or used state: start the installation again")
        now = time.time() if now is None else now
        if now - pending.started_at > self.pending_seconds:
            raise OAuthError("expired_state", "the authorization took too long: start it again")
        return self.oauth.code_from_callback(query, pending.state), pending

    def client(self, shop_id: str) -> Client:
        """A client for one installed shop; it refreshes the shop's token and saves the new pair."""
        return Client(
            self.oauth.base_url, oauth=self.oauth, token_store=self.tokens, token_key=shop_id
        )

    def async_client(self, shop_id: str) -> AsyncClient:
        return AsyncClient(
            self.oauth.base_url, oauth=self.oauth, token_store=self.tokens, token_key=shop_id
        )
