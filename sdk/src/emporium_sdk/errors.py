"""One error hierarchy: every failure carries the HTTP status, the API's error code and the request id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx


class EmporiumError(Exception):
    """Base of every error the SDK raises."""


class ApiError(EmporiumError):
    """The API answered with an error envelope: `{"error": {"code", "message", "request_id", "field"}}`."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        request_id: str | None = None,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.field = field
        self.headers = dict(headers or {})
        self.body = body

    def __str__(self) -> str:
        where = f" (field {self.field})" if self.field else ""
        return f"{self.status} {self.code}: {self.message}{where} [request {self.request_id}]"


class BadRequestError(ApiError):
    """400: the body could not be read (malformed_json, bad_request)."""


class AuthenticationError(ApiError):
    """401: no token, an unknown or revoked one (invalid_token), or an expired one (token_expired)."""


class PermissionDeniedError(ApiError):
    """403: the token lacks the scope (insufficient_scope) or has no shop (shop_required)."""


class NotFoundError(ApiError):
    """404: no such object in this shop."""


class ConflictError(ApiError):
    """409: the object's state forbids it (conflict, invalid_transition, refund_open, ...)."""


class PayloadTooLargeError(ApiError):
    """413: the body is over the size limit."""


class UnprocessableEntityError(ApiError):
    """422: invalid input; `field` names the culprit (validation_error, invalid_cursor, ...)."""


class RateLimitError(ApiError):
    """429 rate_limited, raised once the retries are spent; `retry_after` in seconds."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


class InternalServerError(ApiError):
    """5xx: the platform's fault; quote `request_id`."""


class ApiConnectionError(EmporiumError):
    """The request never got an answer (DNS, refused connection, timeout)."""


class OAuthError(EmporiumError):
    """The authorization server refused (RFC 6749 §5.2): `error` is e.g. invalid_grant."""

    def __init__(self, error: str, description: str = "", status: int | None = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status


class WebhookVerificationError(EmporiumError):
    """A webhook's signature, timestamp or headers did not check out: refuse the delivery."""


class SessionTokenError(EmporiumError):
    """An embedded app's session token is malformed, wrongly signed, expired or not for this app."""


BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (the platform sends delta-seconds)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: not sent by Emporium; fall back to back-off


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx response, from its envelope (or what there is of one)."""
    request_id = response.headers.get("x-request-id")
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        # Not our envelope (a proxy's page, say): keep what is known.
        error = {"code": "http_error", "message": response.reason_phrase or "HTTP error"}
    status = response.status_code
    cls = BY_STATUS.get(status, InternalServerError if status >= 500 else ApiError)
    return cls(
        str(error.get("message", "")),
        status=status,
        code=str(error.get("code", "http_error")),
        request_id=error.get("request_id") or request_id,
        field=error.get("field"),
        headers=response.headers,
        body=body,
    )
