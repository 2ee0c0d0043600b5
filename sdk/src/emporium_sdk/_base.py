"""What the generated resources and both clients share: request preparation, retries, parsing."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, Protocol, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from emporium_sdk.errors import parse_retry_after
from emporium_sdk.pagination import AsyncPager, SyncPager

M = TypeVar("M", bound=BaseModel)
# A file to upload: (file name, content, content type or None to let the SDK choose).
FileSpec = tuple[str, bytes | BinaryIO, str | None]
ReadFile = tuple[str, bytes, str]  # the same, read once into memory
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Every PATCH of this API sets values (never adds to them), so repeating one is harmless.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"})
REFRESH_CODES = frozenset({"invalid_token", "token_expired"})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `max_retries` after the first attempt, no single wait above `max_wait` s.

    A 429 waits what Retry-After says (plus a little jitter, so many clients refused at once do
    not return at once); a Retry-After longer than `max_wait` is not waited for, the error is
    raised. Without Retry-After the wait doubles from `base_delay`, with "equal jitter".
    """

    max_retries: int = 3
    max_wait: float = 30.0
    base_delay: float = 0.5

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number `attempt` (0-based), or None to give up."""
        if attempt >= self.max_retries:
            return None
        if retry_after is not None:
            if retry_after > self.max_wait:
                return None
            spare = max(0.0, min(self.base_delay, self.max_wait - retry_after))
            return retry_after + random.uniform(0, spare)
        backoff = min(self.max_wait, self.base_delay * 2**attempt)
        return random.uniform(backoff / 2, backoff)


def retryable_status(response: httpx.Response, method: str, keyed: bool) -> bool:
    if response.status_code not in RETRY_STATUSES:
        return False
    # A 429 was refused before the handler ran; a 5xx may have done half the work, so only a
    # request that is safe to repeat (or carries an Idempotency-Key) is sent again.
    return response.status_code == 429 or method in SAFE_METHODS or keyed


def retryable_error(error: httpx.TransportError, method: str, keyed: bool) -> bool:
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return True  # never reached the server
    return method in SAFE_METHODS or keyed


def retry_after_of(response: httpx.Response | None) -> float | None:
    return parse_retry_after(response.headers.get("retry-after")) if response is not None else None


def query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def build_url(path: str, path_params: dict[str, Any] | None) -> str:
    # Ids go into the path quoted whole: an id can never add a path segment.
    return path.format(**{k: quote(str(v), safe="") for k, v in (path_params or {}).items()})


def build_query(query: dict[str, Any] | None) -> dict[str, Any]:
    return {k: query_value(v) for k, v in (query or {}).items() if v is not None}


def read_files(files: dict[str, FileSpec] | None) -> dict[str, ReadFile] | None:
    """File objects become bytes once, so that every retry sends the same upload."""
    if not files:
        return None
    out = {}
    for name, (filename, content, content_type) in files.items():
        data = content if isinstance(content, bytes | bytearray) else content.read()
        out[name] = (filename, bytes(data), content_type or "application/octet-stream")
    return out


def new_idempotency_key() -> str:
    return f"sdk_{uuid.uuid4().hex}"


def body(model: type[M], fields: dict[str, Any]) -> dict[str, Any]:
    """A request body: the fields given (None means "not sent"), checked against the model."""
    given = {k: v for k, v in fields.items() if v is not None}
    return model.model_validate(given).model_dump(mode="json", exclude_unset=True, by_alias=True)


def parse(model: type[M], data: object) -> M:
    """A response body as its model."""
    return model.model_validate(data)


def parse_list(model: type[M], data: object) -> list[M]:
    """A response body that is a JSON array, as a list of its model."""
    if not isinstance(data, list):
        raise TypeError(f"expected a JSON array of {model.__name__}, got {type(data).__name__}")
    return [model.model_validate(row) for row in data]


class SyncRequester(Protocol):
    """What the resources need of a client: one API call (`Client.request`)."""

    def request(
        self,
        method: str,
        path: str,
        *,
        path_params: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, FileSpec] | None = None,
        data: dict[str, Any] | None = None,
        creating: bool = False,
        idempotency_key: str | None = None,
    ) -> Any: ...


class AsyncRequester(Protocol):
    """What the async resources need of a client: one awaited API call."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, FileSpec] | None = None,
        data: dict[str, Any] | None = None,
        creating: bool = False,
        idempotency_key: str | None = None,
    ) -> Any: ...


class SyncResource:
    """A group of operations on the sync client (`client.items`, `client.orders`, ...)."""

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def _pager(
        self, model: type[M], cursor_param: str | None, start: str | None, method: str, path: str,
        **kwargs: Any,
    ) -> SyncPager[M]:  # fmt: skip
        query = dict(kwargs.pop("query", None) or {})

        def fetch(cursor: str | None) -> dict[str, Any]:
            extra = {cursor_param: cursor} if cursor_param and cursor else {}
            page: dict[str, Any] = self._client.request(
                method, path, query={**query, **extra}, **kwargs
            )
            return page

        return SyncPager(model, fetch, start)


class AsyncResource:
    """A group of operations on the async client."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    def _pager(
        self, model: type[M], cursor_param: str | None, start: str | None, method: str, path: str,
        **kwargs: Any,
    ) -> AsyncPager[M]:  # fmt: skip
        query = dict(kwargs.pop("query", None) or {})

        async def fetch(cursor: str | None) -> dict[str, Any]:
            extra = {cursor_param: cursor} if cursor_param and cursor else {}
            page: dict[str, Any] = await self._client.request(
                method, path, query={**query, **extra}, **kwargs
            )
            return page

        return AsyncPager(model, fetch, start)
