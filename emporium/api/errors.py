"""One error envelope for the whole API: a stable machine code, a message for people, the request id.

    {"error": {"code": "not_found", "message": "...", "request_id": "...", "field": "title"}}

Every path to an error response goes through `error_response`: raised ApiErrors, ninja's own
errors (validation, authentication, unparsable bodies), the domain's refusals, and anything
unexpected (500). The middleware wraps what never reached ninja (unknown URL, 405) the same way.
"""

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from emporium.api.parser import NotAnObject, UnsupportedMediaType
from emporium.lib import outage
from emporium.lib.errors import DomainError

logger = logging.getLogger("emporium.api")
E = TypeVar("E", bound=Exception)

# The codes of the conventions. Domain refusals add their own codes (see docs/api.md).
CODES: dict[str, tuple[int, str]] = {
    "bad_request": (400, "The request could not be read."),
    "malformed_json": (400, "The body is not valid JSON."),
    "unauthorized": (401, "Send an OAuth 2.0 access token: Authorization: Bearer <token>."),
    "invalid_token": (401, "The access token is unknown or was revoked."),
    "token_expired": (401, "The access token has expired; refresh it."),
    "insufficient_scope": (403, "The token was not granted the scope this endpoint needs."),
    "shop_required": (403, "This endpoint acts on a shop; use a token a seller granted."),
    "buyer_required": (403, "This endpoint acts for a buyer; use a token a buyer granted."),
    "forbidden": (403, "Not allowed."),
    "not_found": (404, "Not found."),
    "method_not_allowed": (405, "This method is not allowed here."),
    "conflict": (409, "The request conflicts with the current state."),
    "payload_too_large": (413, "The body is too large."),
    "unsupported_media_type": (415, "Send JSON (or multipart for uploads)."),
    "validation_error": (422, "A field is missing or invalid."),
    "invalid_cursor": (422, "The cursor is not one this list gave out."),
    "invalid_idempotency_key": (422, "An Idempotency-Key is 1 to 255 printable ASCII characters."),
    "idempotency_key_reused": (422, "This Idempotency-Key was used with a different request."),
    "image_rejected": (422, "The file is not a picture we accept."),
    "app_suspended": (
        402,
        "The seller's payment for this app failed and the grace period is over; the app's "
        "access returns once the seller pays.",
    ),
    "rate_limited": (429, "Too many requests; wait for Retry-After seconds."),
    "internal_error": (500, "Something went wrong on our side; quote the request id."),
    "service_unavailable": (503, outage.MESSAGE),
    "insufficient_storage": (507, outage.DISK_FULL),
}
CODE_FOR_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "service_unavailable",
    507: "insufficient_storage",
}


class ApiError(Exception):
    """Raise anywhere below a handler to answer with the envelope."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        status: int | None = None,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        known_status, known_message = CODES.get(code, (400, code))
        self.code = code
        self.status = status or known_status
        self.message = message or known_message
        self.field = field
        self.headers = dict(headers or {})
        super().__init__(self.message)


def not_found() -> ApiError:
    """The same answer for "absent" and "another shop's": existence never leaks."""
    return ApiError("not_found")


def invalid(field: str, message: str, code: str = "validation_error") -> ApiError:
    return ApiError(code, message, status=422, field=field)


@contextmanager
def fields_renamed(names: Mapping[str, str]) -> Iterator[None]:
    """Domain rules name their form's fields; rename them to the API's (items → item_ids)."""
    try:
        yield
    except DomainError as error:
        error.field = names.get(error.field or "", error.field)
        raise


def code_for_status(status: int) -> str:
    return CODE_FOR_STATUS.get(status, "internal_error" if status >= 500 else "bad_request")


def envelope(request: HttpRequest, code: str, message: str, field: str | None = None) -> dict:
    body = {"code": code, "message": message, "request_id": getattr(request, "request_id", "")}
    if field:
        body["field"] = field
    return {"error": body}


class ErrorResponse(JsonResponse):
    """An error envelope; the call log files it under its code."""

    error_code: str


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    response = ErrorResponse(envelope(request, code, message, field), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    response.error_code = code
    return response


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.field, exc.headers)


def _field_of(loc: Sequence[object]) -> str:
    """ninja's ("body", "payload", "skus", 0, "price") → "skus.0.price"; ("query", "limit") → "limit"."""
    parts = [str(part) for part in loc[1:]]
    if loc and loc[0] in ("body", "form") and len(parts) > 1:
        parts = parts[1:]  # the handler's parameter name is not a field the client sent
    return ".".join(parts) or str(loc[0] if loc else "")


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {"loc": (), "msg": "Invalid input."}
    field = _field_of(first.get("loc", ()))
    reason = str(first.get("msg", "invalid"))
    message = f"{field}: {reason}" if field else reason
    return error_response(request, 422, "validation_error", message, field)


def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    status, message = CODES["unauthorized"]
    headers = {"WWW-Authenticate": 'Bearer realm="emporium"'}
    return error_response(request, status, "unauthorized", message, headers=headers)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RequestDataTooBig):
        return error_response(request, 413, "payload_too_large", CODES["payload_too_large"][1])
    if isinstance(exc.__cause__, UnsupportedMediaType):
        message = "Send the body as JSON, with Content-Type: application/json."
        return error_response(request, 415, "unsupported_media_type", message)
    if isinstance(exc.__cause__, NotAnObject):
        message = 'The body must be a JSON object, such as {"name": "..."}.'
        return error_response(request, 422, "validation_error", message)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error_response(request, 400, "malformed_json", CODES["malformed_json"][1])
    return error_response(request, exc.status_code, code_for_status(exc.status_code), str(exc))


def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", CODES["not_found"][1])


def _unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, 413, "payload_too_large", CODES["payload_too_large"][1])
    return error_response(request, 400, "bad_request", "The body could not be read.")


def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A rule of the domain refused; the error carries its own code, field and status."""
    return error_response(request, exc.status, exc.code, str(exc), exc.field)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if outage.is_outage(exc):  # the database is away: retry soon (lib/outage.py)
        return error_response(
            request, 503, "service_unavailable", outage.MESSAGE,
            headers={"Retry-After": str(outage.RETRY_AFTER_SECONDS)},
        )  # fmt: skip
    if outage.is_disk_full(exc):
        logger.error("API %s on %s %s: disk full", request.method, request.path, exc)
        return error_response(
            request, 507, "insufficient_storage", CODES["insufficient_storage"][1]
        )
    request_id = getattr(request, "request_id", "")
    logger.exception("API error %s on %s %s", request_id, request.method, request.path)
    return error_response(request, 500, "internal_error", CODES["internal_error"][1])


def _handle(
    api: NinjaAPI, kind: type[E], handler: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    # ninja annotates handlers as taking the exception class as well as an instance; they never do.
    api.add_exception_handler(kind, cast(Any, handler))


def install(api: NinjaAPI) -> None:
    _handle(api, ApiError, _api_error)
    _handle(api, ValidationError, _validation_error)
    _handle(api, AuthenticationError, _authentication_error)
    _handle(api, HttpError, _http_error)
    _handle(api, Http404, _http404)
    _handle(api, DomainError, _domain_error)
    for unreadable in (MultiPartParserError, SuspiciousOperation):
        _handle(api, unreadable, _unreadable_body)
    _handle(api, Exception, _unexpected)
