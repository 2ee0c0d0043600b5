"""POST /collect: where collect.js sends its batches (sendBeacon or fetch, JSON as text/plain)."""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from emporium.customer_events import visitors
from emporium.customer_events.collect import collect

log = logging.getLogger(__name__)

# sendBeacon with a string body sends text/plain, which needs no CORS preflight.
ACCEPTED_TYPES = {"application/json", "text/plain"}


def _refuse(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _foreign_origin(request: HttpRequest) -> bool:
    # A browser names the page's origin on a POST; another site's page must not count here.
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.get_host()


def _read_body(request: HttpRequest, cap: int) -> bytes | None:
    """The body, or None when it is over the cap (checked before and while reading)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return None
    body = request.read(cap + 1)
    return None if len(body) > cap else body


# CSRF-exempt: it changes nothing a visitor owns, and sendBeacon cannot send the token; the
# Origin check keeps other sites' pages out.
@csrf_exempt
@require_POST
def collect_view(request: HttpRequest) -> HttpResponse:
    if request.content_type not in ACCEPTED_TYPES:
        return _refuse(
            415, "unsupported_media_type", "Send JSON as application/json or text/plain."
        )
    if _foreign_origin(request):
        return _refuse(403, "foreign_origin", "Events are accepted from this site's pages only.")
    body = _read_body(request, settings.CUSTOMER_EVENTS_MAX_BODY_BYTES)
    if body is None:
        return _refuse(413, "body_too_large", "The batch is over the size limit.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "malformed_json", "The body is not JSON.")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _refuse(400, "no_events", 'Send {"events": [...]}.')
    if len(events) > settings.CUSTOMER_EVENTS_MAX_BATCH:
        return _refuse(413, "too_many_events", "The batch holds too many events.")
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    outcome = collect(events, ip=visitors.client_ip(request), user_agent=user_agent)
    if outcome.dropped:
        log.info("customer events: %d accepted, %d dropped", outcome.accepted, outcome.dropped)
    response = HttpResponse(status=204)
    response["Emporium-Events-Accepted"] = str(outcome.accepted)
    response["Emporium-Events-Dropped"] = str(outcome.dropped + outcome.bots)
    return response
