"""OAuth 2.0 for an app: authorization URL (PKCE S256 + state), code exchange, refresh, device flow, token stores."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from pydantic import BaseModel

from emporium_sdk.errors import ApiConnectionError, OAuthError

AUTHORIZE_PATH = "/o/authorize/"
TOKEN_PATH = "/o/token/"  # noqa: S105 -- a URL path
INTROSPECT_PATH = "/o/introspect/"
DEVICE_AUTHORIZATION_PATH = "/o/device-authorization/"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
# RFC 8628 §3.5: the answers that mean "keep polling" (slow_down: and wait 5 s longer).
DEVICE_KEEP_POLLING = frozenset({"authorization_pending", "slow_down"})


class Token(BaseModel):
    """An access token and what came with it; `expires_at` is a Unix time (None: unknown)."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 -- a token type
    refresh_token: str | None = None
    scope: str = ""
    expires_at: float | None = None

    @classmethod
    def from_response(cls, body: Mapping[str, Any], now: float | None = None) -> Token:
        now = time.time() if now is None else now
        expires_in = body.get("expires_in")
        return cls(
            access_token=body["access_token"],
            token_type=body.get("token_type", "Bearer"),
            refresh_token=body.get("refresh_token"),
            scope=body.get("scope", ""),
            expires_at=now + float(expires_in) if expires_in is not None else None,
        )

    def expired(self, leeway: float = 30.0, now: float | None = None) -> bool:
        """True a little before the real expiry, so a call never leaves with a dying token."""
        if self.expires_at is None:
            return False
        return (time.time() if now is None else now) >= self.expires_at - leeway

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()


class TokenStore(Protocol):
    """Where an app keeps its tokens, one per key (e.g. the shop's id)."""

    def load(self, key: str) -> Token | None: ...

    def save(self, key: str, token: Token) -> None: ...

    def delete(self, key: str) -> None: ...


class MemoryTokenStore:
    """Tokens in this process only: for tests and short scripts."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> Token | None:
        with self._lock:
            return self._tokens.get(key)

    def save(self, key: str, token: Token) -> None:
        with self._lock:
            self._tokens[key] = token

    def delete(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)


class JsonFileTokenStore:
    """Tokens in one JSON file `{key: token}`, readable by this user only, replaced atomically.

    Every refresh retires the previous pair, so a token file that lost a write would lock the
    app out of the shop: writes go to a temporary file that is then renamed over the old one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        if not isinstance(data, dict):
            raise ValueError(f"{self.path} does not hold a JSON object")
        return data

    def _write(self, tokens: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(tokens, out, indent=1, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self, key: str) -> Token | None:
        with self._lock:
            raw = self._read().get(key)
        return Token.model_validate(raw) if raw else None

    def save(self, key: str, token: Token) -> None:
        with self._lock:
            tokens = self._read()
            tokens[key] = token.model_dump()
            self._write(tokens)

    def delete(self, key: str) -> None:
        with self._lock:
            tokens = self._read()
            if tokens.pop(key, None) is not None:
                self._write(tokens)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 §4.1–4.2 define them."""
    verifier = secrets.token_urlsafe(64)  # 86 characters; RFC 7636 allows 43 to 128
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class DeviceAuthorization:
    """RFC 8628 §3.2: show `user_code` and a QR of `verification_uri_complete`; poll with
    `device_code` every `interval` seconds until `expires_at` (a Unix time)."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_at: float
    interval: int


@dataclass(frozen=True)
class AuthorizationRequest:
    """Send the seller's browser to `url`; keep `state` and `code_verifier` for the callback."""

    url: str
    state: str
    code_verifier: str


class OAuthApp:
    """An app's OAuth 2.0 client: its id, secret and registered redirect URI on one platform."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str,
        redirect_uri: str | None = None,
        issuer: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = base_url.rstrip("/")
        self.redirect_uri = redirect_uri
        self.issuer = (issuer or self.base_url).rstrip("/")
        self.timeout = timeout
        self._transport = transport
        self._async_transport = async_transport

    # --- the seller's browser -----------------------------------------------------------

    def authorization_url(
        self, scopes: list[str] | None = None, *, state: str | None = None
    ) -> AuthorizationRequest:
        """The consent URL with a fresh PKCE pair and state (scopes: default the registered ones)."""
        verifier, challenge = pkce_pair()
        state = state or secrets.token_urlsafe(24)
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if self.redirect_uri:
            params["redirect_uri"] = self.redirect_uri
        if scopes:
            params["scope"] = " ".join(scopes)
        url = f"{self.base_url}{AUTHORIZE_PATH}?{urlencode(params)}"
        return AuthorizationRequest(url=url, state=state, code_verifier=verifier)

    def code_from_callback(self, callback: str | Mapping[str, str], expected_state: str) -> str:
        """The code from the redirect back (its URL or query), after checking state and issuer."""
        if isinstance(callback, str):
            params = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
        else:
            params = dict(callback)
        if not hmac.compare_digest(params.get("state", ""), expected_state):
            raise OAuthError("invalid_state", "the state does not match this authorization")
        # RFC 9207: a response from another authorization server (mix-up attack) is refused.
        if "iss" in params and params["iss"].rstrip("/") != self.issuer:
            raise OAuthError("invalid_issuer", f"unexpected issuer {params['iss']!r}")
        if "error" in params:
            raise OAuthError(params["error"], params.get("error_description", ""))
        if not params.get("code"):
            raise OAuthError("invalid_request", "the callback carries no code")
        return params["code"]

    # --- the token endpoint -------------------------------------------------------------

    def _code_form(self, code: str, code_verifier: str) -> dict[str, str]:
        form = {"grant_type": "authorization_code", "code": code, "code_verifier": code_verifier}
        if self.redirect_uri:
            form["redirect_uri"] = self.redirect_uri
        return form

    @staticmethod
    def _refresh_form(refresh_token: str) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": refresh_token}

    @staticmethod
    def _credentials_form(scopes: list[str] | None) -> dict[str, str]:
        form = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = " ".join(scopes)
        return form

    def _token(self, response: httpx.Response, now: float) -> Token:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            raise OAuthError(
                str(body.get("error", "server_error")),
                str(body.get("error_description", "")),
                response.status_code,
            )
        return Token.from_response(body, now)

    def _post(self, form: dict[str, str]) -> Token:
        now = time.time()
        with httpx.Client(timeout=self.timeout, transport=self._transport) as http:
            try:
                response = http.post(
                    self.base_url + TOKEN_PATH, data=form, auth=(self.client_id, self.client_secret)
                )
            except httpx.TransportError as error:
                raise ApiConnectionError(str(error)) from error
        return self._token(response, now)

    async def _post_async(self, form: dict[str, str]) -> Token:
        now = time.time()
        async with httpx.AsyncClient(timeout=self.timeout, transport=self._async_transport) as http:
            try:
                response = await http.post(
                    self.base_url + TOKEN_PATH, data=form, auth=(self.client_id, self.client_secret)
                )
            except httpx.TransportError as error:
                raise ApiConnectionError(str(error)) from error
        return self._token(response, now)

    def exchange_code(self, code: str, code_verifier: str) -> Token:
        """Trade the callback's code (and the PKCE verifier kept from the start) for tokens."""
        return self._post(self._code_form(code, code_verifier))

    def introspect(self, access_token: str) -> dict[str, Any]:
        """What the platform says of one of this app's tokens (RFC 7662): `active`, `scope`,
        `exp`, and for a buyer's token the pairwise `buyer_id` (no `buyer:profile` needed)."""
        with httpx.Client(timeout=self.timeout, transport=self._transport) as http:
            try:
                response = http.post(
                    self.base_url + INTROSPECT_PATH, data={"token": access_token},
                    auth=(self.client_id, self.client_secret),
                )  # fmt: skip
            except httpx.TransportError as error:
                raise ApiConnectionError(str(error)) from error
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            raise OAuthError(str(body.get("error", "server_error")) if isinstance(body, dict)
                             else "server_error", "", response.status_code)  # fmt: skip
        return body

    async def exchange_code_async(self, code: str, code_verifier: str) -> Token:
        return await self._post_async(self._code_form(code, code_verifier))

    def refresh(self, refresh_token: str) -> Token:
        """A new pair; the old one stops working (store the new one before anything else)."""
        return self._post(self._refresh_form(refresh_token))

    async def refresh_async(self, refresh_token: str) -> Token:
        return await self._post_async(self._refresh_form(refresh_token))

    # --- the device flow (RFC 8628): a TV or any device without a browser ---------------

    def start_device_authorization(self, scopes: list[str] | None = None) -> DeviceAuthorization:
        """Ask for a device code and a user code (scopes: default the registered ones)."""
        form = {"client_id": self.client_id}
        if scopes:
            form["scope"] = " ".join(scopes)
        now = time.time()
        with httpx.Client(timeout=self.timeout, transport=self._transport) as http:
            try:
                response = http.post(
                    self.base_url + DEVICE_AUTHORIZATION_PATH,
                    data=form,
                    auth=(self.client_id, self.client_secret),
                )
            except httpx.TransportError as error:
                raise ApiConnectionError(str(error)) from error
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "device_code" not in body:
            raise OAuthError(
                str(body.get("error", "server_error")),
                str(body.get("error_description", "")),
                response.status_code,
            )
        verification_uri = str(body["verification_uri"])
        return DeviceAuthorization(
            device_code=str(body["device_code"]),
            user_code=str(body["user_code"]),
            verification_uri=verification_uri,
            verification_uri_complete=str(
                body.get("verification_uri_complete") or verification_uri
            ),
            expires_at=now + float(body.get("expires_in", 600)),
            interval=int(body.get("interval", 5)),
        )

    def poll_device_token(self, device_code: str) -> Token:
        """One poll of the token endpoint. Raises `OAuthError` whose `error` is
        `authorization_pending` or `slow_down` (poll again later, see `DEVICE_KEEP_POLLING`),
        `access_denied`, `expired_token` (start again) or `invalid_grant`."""
        return self._post({"grant_type": DEVICE_CODE_GRANT, "device_code": device_code})

    def client_credentials(self, scopes: list[str] | None = None) -> Token:
        """An app-level token (no shop): the public catalog only."""
        return self._post(self._credentials_form(scopes))

    async def client_credentials_async(self, scopes: list[str] | None = None) -> Token:
        return await self._post_async(self._credentials_form(scopes))
