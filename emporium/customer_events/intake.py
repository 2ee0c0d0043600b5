"""What POST /collect answers, whatever serves it: the Django view and the ASGI fast path
(customer_events/fastpath.py) hand the request's parts here and send back the Answer.

The accepted events are returned as journal lines; the caller answers 204 only once the journal
has them on disk (journal.py), so a 204 is a promise that survives a crash of the server.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from emporium.customer_events import journal
from emporium.customer_events.collect import Outcome, prepare
from emporium.lib import throttle

# sendBeacon with a string body sends text/plain, which needs no CORS preflight.
ACCEPTED_TYPES = {"application/json", "text/plain"}


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # a JSON error envelope for refusals
    lines: bytes = b""  # the accepted events, to be made durable before answering
    outcome: Outcome | None = None


def refusal(status: int, code: str, message: str) -> Answer:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    return Answer(status, {"Content-Type": "application/json"}, body)


def foreign_origin(origin: str | None, host: str) -> bool:
    # Browsers name the page's origin on every POST, sendBeacon's included: a request without
    # one was not sent by collect.js from a page of ours, and another site's page must not count.
    return origin is None or urlsplit(origin).netloc != host


def over_limit(ip: str, user_agent: str) -> bool:
    """Batches per minute per visitor (address and browser) and per address (many visitors
    behind one NAT share it, so its limit is higher)."""
    per_visitor = settings.CUSTOMER_EVENTS_PER_VISITOR_MINUTE
    per_address = settings.CUSTOMER_EVENTS_PER_ADDRESS_MINUTE
    visitor_ok = throttle.hit("collect-visitor", f"{ip} {user_agent}", per_visitor, 60)
    return not (throttle.hit("collect-address", ip, per_address, 60) and visitor_ok)


def too_large(declared_length: str | None) -> bool:
    """A declared Content-Length over the collector's cap: refused before reading."""
    try:
        declared = int(declared_length or 0)
    except ValueError:
        declared = 0
    return declared > settings.CUSTOMER_EVENTS_MAX_BODY_BYTES


def receive(
    *, content_type: str, origin: str | None, host: str, ip: str, user_agent: str,
    body: bytes | None,
) -> Answer:  # fmt: skip
    """The answer to one batch; `body` None means it was over the size cap."""
    if content_type not in ACCEPTED_TYPES:
        return refusal(
            415, "unsupported_media_type", "Send JSON as application/json or text/plain."
        )
    if foreign_origin(origin, host):
        return refusal(403, "foreign_origin", "Events are accepted from this site's pages only.")
    user_agent = user_agent[:500]
    if over_limit(ip, user_agent):
        refused = refusal(429, "rate_limited", "Too many batches; slow down.")
        refused.headers["Retry-After"] = str(throttle.retry_after(60))
        return refused
    if body is None:
        return refusal(413, "body_too_large", "The batch is over the size limit.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return refusal(400, "malformed_json", "The body is not JSON.")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return refusal(400, "no_events", 'Send {"events": [...]}.')
    if len(events) > settings.CUSTOMER_EVENTS_MAX_BATCH:
        return refusal(413, "too_many_events", "The batch holds too many events.")
    outcome, rows = prepare(events, ip=ip, user_agent=user_agent)
    headers = {
        "Emporium-Events-Accepted": str(outcome.accepted),
        "Emporium-Events-Dropped": str(outcome.dropped + outcome.bots),
    }
    lines = b"".join(journal.line(row) for row in rows)
    return Answer(204, headers, lines=lines, outcome=outcome)


def unavailable() -> Answer:
    """The journal could not make the events durable: say so, the browser may send again."""
    return refusal(503, "not_stored", "The events could not be stored; try again.")
