"""POST /collect: where collect.js sends its batches (sendBeacon or fetch, JSON as text/plain).

The rules are in intake.py, shared with the ASGI fast path (fastpath.py) that serves the same
URL without Django's middleware when the platform runs under ASGI."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from emporium.customer_events import intake, journal, visitors

log = logging.getLogger(__name__)


def _read_body(request: HttpRequest, cap: int) -> bytes | None:
    """The body, or None when it is over the cap (checked before and while reading)."""
    if intake.too_large(request.META.get("CONTENT_LENGTH")):
        return None
    body = request.read(cap + 1)
    return None if len(body) > cap else body


def _response(answer: intake.Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response


# CSRF-exempt: it changes nothing a visitor owns, and sendBeacon cannot send the token; the
# Origin check keeps other sites' pages out. What a script outside a browser can still do is in
# docs/security.md ("Storefront analytics").
@csrf_exempt
@require_POST
def collect_view(request: HttpRequest) -> HttpResponse:
    answer = intake.receive(
        content_type=request.content_type or "",
        origin=request.headers.get("Origin"),
        host=request.get_host(),
        ip=visitors.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        body=_read_body(request, settings.CUSTOMER_EVENTS_MAX_BODY_BYTES),
    )
    if answer.lines:
        try:
            journal.current().write(answer.lines)
        except (OSError, TimeoutError):
            log.exception("customer events: the journal refused a batch")
            answer = intake.unavailable()
    if answer.outcome and answer.outcome.dropped:
        log.info(
            "customer events: %d accepted, %d dropped",
            answer.outcome.accepted,
            answer.outcome.dropped,
        )
    return _response(answer)
