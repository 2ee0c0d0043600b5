"""The sync and async clients: auth (with automatic refresh), retries, idempotency keys, typed errors."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx

from emporium_sdk import _base
from emporium_sdk._base import RetryPolicy
from emporium_sdk.errors import ApiConnectionError, ApiError, EmporiumError, error_from_response
from emporium_sdk.oauth import OAuthApp, Token, TokenStore
from emporium_sdk.resources import AsyncResources, SyncResources

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
USER_AGENT = "emporium-sdk-python/0.1"


class _Auth:
    """The token a client sends, where it is kept, and how it is renewed."""

    def __init__(
        self,
        access_token: str | None,
        oauth: OAuthApp | None,
        token_store: TokenStore | None,
        token_key: str,
    ) -> None:
        if access_token is None and token_store is None:
            raise ValueError("give an access_token, or a token_store holding one")
        self.oauth, self.store, self.key = oauth, token_store, token_key
        self.token = Token(access_token=access_token) if access_token else None
        if self.token is not None and token_store is not None:
            token_store.save(token_key, self.token)

    def current(self) -> Token:
        token = self.store.load(self.key) if self.store is not None else self.token
        if token is None:
            raise EmporiumError(f"no token stored under {self.key!r}: authorize the app first")
        return token

    def can_refresh(self, token: Token) -> bool:
        return self.oauth is not None and token.refresh_token is not None

    def keep(self, token: Token) -> None:
        self.token = token
        if self.store is not None:
            self.store.save(self.key, token)


def _headers(token: Token, extra: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.access_token}", "User-Agent": USER_AGENT, **extra}


def _wants_refresh(response: httpx.Response) -> bool:
    if response.status_code != 401:
        return False
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return False
    return code in _base.REFRESH_CODES


class Client(SyncResources):
    """The Open API as a seller granted it to your app.

        client = Client("https://emporium.example", access_token="...")
        for item in client.items.list(status="on_sale"):
            print(item.title, item.price.amount)

    With `oauth=` and a `token_store=` holding a refresh token, the client refreshes an expired
    token by itself (before a call, and once after a 401 invalid_token / token_expired).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        access_token: str | None = None,
        oauth: OAuthApp | None = None,
        token_store: TokenStore | None = None,
        token_key: str = "default",  # noqa: S107 -- a store key, not a secret
        max_retries: int = 3,
        max_wait: float = 30.0,
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        self._auth = _Auth(access_token, oauth, token_store, token_key)
        self._extra_headers = dict(headers or {})
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self._refresh_lock = threading.Lock()
        self._attach_resources(self)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _token(self) -> Token:
        token = self._auth.current()
        if token.expired() and self._auth.can_refresh(token):
            token = self._refresh(token)
        return token

    def _refresh(self, stale: Token) -> Token:
        with self._refresh_lock:
            # Another thread may have refreshed meanwhile; a second refresh with the old
            # refresh token would be taken for token theft and revoke the whole family.
            current = self._auth.current()
            if current.access_token != stale.access_token:
                return current
            assert self._auth.oauth is not None and stale.refresh_token is not None
            fresh = self._auth.oauth.refresh(stale.refresh_token)
            self._auth.keep(fresh)
            return fresh

    def request(
        self,
        method: str,
        path: str,
        *,
        path_params: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, _base.FileSpec] | None = None,
        data: dict[str, Any] | None = None,
        creating: bool = False,
        idempotency_key: str | None = None,
    ) -> Any:
        """One API call with retries; the parsed JSON body (None for 204), or a typed error."""
        url = _base.build_url(path, path_params)
        params = _base.build_query(query)
        uploads = _base.read_files(files)
        form = _base.build_query(data) or None  # form fields left out (None) are not sent
        extra = dict(self._extra_headers)
        if creating:
            # One key for all attempts of this call: a retry can never create a second object.
            extra["Idempotency-Key"] = idempotency_key or _base.new_idempotency_key()
        keyed = "Idempotency-Key" in extra
        refreshed = False
        attempt = 0
        while True:
            token = self._token()
            try:
                response = self._http.request(
                    method, url, params=params, json=json, files=uploads, data=form,
                    headers=_headers(token, extra),
                )  # fmt: skip
            except httpx.TransportError as error:
                wait = self.retry.delay(attempt, None)
                if wait is None or not _base.retryable_error(error, method, keyed):
                    raise ApiConnectionError(f"{method} {url}: {error}") from error
                time.sleep(wait)
                attempt += 1
                continue
            if response.is_success:
                return response.json() if response.content else None
            if not refreshed and _wants_refresh(response) and self._auth.can_refresh(token):
                refreshed = True
                self._refresh(token)
                continue
            if _base.retryable_status(response, method, keyed):
                wait = self.retry.delay(attempt, _base.retry_after_of(response))
                if wait is not None:
                    time.sleep(wait)
                    attempt += 1
                    continue
            raise error_from_response(response)


class AsyncClient(AsyncResources):
    """The async twin of `Client`: the same resources, `await`ed; lists are `async for`."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        access_token: str | None = None,
        oauth: OAuthApp | None = None,
        token_store: TokenStore | None = None,
        token_key: str = "default",  # noqa: S107 -- a store key, not a secret
        max_retries: int = 3,
        max_wait: float = 30.0,
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = RetryPolicy(max_retries=max_retries, max_wait=max_wait)
        self._auth = _Auth(access_token, oauth, token_store, token_key)
        self._extra_headers = dict(headers or {})
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)
        self._refresh_lock = asyncio.Lock()
        self._attach_resources(self)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _token(self) -> Token:
        token = self._auth.current()
        if token.expired() and self._auth.can_refresh(token):
            token = await self._refresh(token)
        return token

    async def _refresh(self, stale: Token) -> Token:
        async with self._refresh_lock:
            current = self._auth.current()
            if current.access_token != stale.access_token:
                return current
            assert self._auth.oauth is not None and stale.refresh_token is not None
            fresh = await self._auth.oauth.refresh_async(stale.refresh_token)
            self._auth.keep(fresh)
            return fresh

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, _base.FileSpec] | None = None,
        data: dict[str, Any] | None = None,
        creating: bool = False,
        idempotency_key: str | None = None,
    ) -> Any:
        """One API call with retries; the parsed JSON body (None for 204), or a typed error."""
        url = _base.build_url(path, path_params)
        params = _base.build_query(query)
        uploads = _base.read_files(files)
        form = _base.build_query(data) or None  # form fields left out (None) are not sent
        extra = dict(self._extra_headers)
        if creating:
            extra["Idempotency-Key"] = idempotency_key or _base.new_idempotency_key()
        keyed = "Idempotency-Key" in extra
        refreshed = False
        attempt = 0
        while True:
            token = await self._token()
            try:
                response = await self._http.request(
                    method, url, params=params, json=json, files=uploads, data=form,
                    headers=_headers(token, extra),
                )  # fmt: skip
            except httpx.TransportError as error:
                wait = self.retry.delay(attempt, None)
                if wait is None or not _base.retryable_error(error, method, keyed):
                    raise ApiConnectionError(f"{method} {url}: {error}") from error
                await asyncio.sleep(wait)
                attempt += 1
                continue
            if response.is_success:
                return response.json() if response.content else None
            if not refreshed and _wants_refresh(response) and self._auth.can_refresh(token):
                refreshed = True
                await self._refresh(token)
                continue
            if _base.retryable_status(response, method, keyed):
                wait = self.retry.delay(attempt, _base.retry_after_of(response))
                if wait is not None:
                    await asyncio.sleep(wait)
                    attempt += 1
                    continue
            raise error_from_response(response)


__all__ = ["ApiError", "AsyncClient", "Client"]
