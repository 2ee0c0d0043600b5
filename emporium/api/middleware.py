"""Around every Open API call: a request id, rate-limit headers, the error envelope and the call log.

Runs outside ninja so that what ninja never sees — an unknown URL, a wrong method, a crash
in another middleware — still answers in the envelope and still lands in the call log.
"""

import json
import re
import time
import uuid
from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from emporium.api import calllog
from emporium.api.auth import ApiRequest
from emporium.api.errors import CODES, code_for_status, error_response
from emporium.lib import clock

API_PREFIX = "/api/v1/"
UNLOGGED = {API_PREFIX + "openapi.json", API_PREFIX + "docs", API_PREFIX}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def request_id_for(request: HttpRequest) -> str:
    """Honour a client's own id when it is safe to echo and store; otherwise make one."""
    incoming = request.headers.get("X-Request-Id", "")
    return incoming if REQUEST_ID.match(incoming) else f"req_{uuid.uuid4().hex}"


def route_template(request: HttpRequest) -> str:
    """The matched route without the prefix, e.g. /items/{item_id}; unknown URLs share one name."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.route:
        return "(unmatched)"
    route = _CONVERTER.sub(r"{\1}", match.route)
    return "/" + route.removeprefix(API_PREFIX.lstrip("/"))


def _is_envelope(response: HttpResponse) -> bool:
    if getattr(response, "error_code", None):
        return True
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        return "error" in json.loads(response.content)
    except (ValueError, AttributeError):
        return False


def _as_envelope(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    code = code_for_status(response.status_code)
    wrapped = error_response(request, response.status_code, code, CODES[code][1])
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            wrapped[header] = response[header]
    return wrapped


def api_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(plain: HttpRequest) -> HttpResponse:
        if not plain.path.startswith(API_PREFIX):
            return get_response(plain)
        started = time.perf_counter()
        request = cast(ApiRequest, plain)  # this middleware is what makes it one
        request.request_id = request_id_for(request)
        response = get_response(request)
        if response.status_code >= 400 and not _is_envelope(response):
            response = _as_envelope(request, response)
        response["X-Request-Id"] = request.request_id
        rate = getattr(request, "api_rate", None)
        if rate is not None:
            for name, value in rate.headers().items():
                response[name] = value
        if request.path not in UNLOGGED:
            _log(request, response, started)
        return response

    return middleware


def _log(request: ApiRequest, response: HttpResponse, started: float) -> None:
    caller = getattr(request, "caller", None)
    call = calllog.Call(
        app_id=caller.app.pk if caller else None,
        shop_id=caller.shop.pk if caller and caller.shop else None,
        method=request.method or "",
        route=route_template(request),
        status=response.status_code,
        latency_ms=(time.perf_counter() - started) * 1000,
        request_id=request.request_id,
        error_code=getattr(response, "error_code", "") or "",
        at=clock.now(),
    )
    calllog.record(call)
