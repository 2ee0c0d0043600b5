"""What goes over the wire: the event envelope and its Standard Webhooks signature.

Every webhook body, and every item of the event feed, is the same envelope:

    {"id": "evt_…", "type": "order.paid", "version": 1, "shop_id": "…",
     "occurred_at": "2026-11-25T10:00:00Z", "data": {…}}

The signature follows Standard Webhooks (https://www.standardwebhooks.com/): HMAC-SHA256 keyed
with the base64-decoded secret after its `whsec_` prefix, over `{id}.{timestamp}.{body}`.
"""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from emporium.events.models import Event

TOLERANCE_SECONDS = 5 * 60


class SignatureInvalid(Exception):
    """A webhook whose signature, timestamp or headers do not check out."""


def envelope(event: Event) -> dict:
    return {
        "id": event.event_id,
        "type": event.topic,
        "version": event.version,
        "shop_id": str(event.shop.public_id) if event.shop is not None else None,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }


def body_of(event: Event) -> bytes:
    return json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False).encode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": "Emporium-Webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, msg_id, timestamp, body),
    }


def verify(secret: str, received: dict[str, str], body: bytes, now: datetime | None = None) -> dict:
    """Check a received webhook (headers, raw body); return the event or raise SignatureInvalid.

    A body changed in transit fails the HMAC; a timestamp more than five minutes away from now
    is refused, so a captured request cannot be replayed later.
    """
    lower = {k.lower(): v for k, v in received.items()}
    try:
        msg_id = lower["webhook-id"]
        timestamp = int(lower["webhook-timestamp"])
        offered = lower["webhook-signature"].split()
    except (KeyError, ValueError):
        raise SignatureInvalid("missing or malformed webhook headers") from None
    now_ts = int((now or datetime.now(UTC)).timestamp())
    if abs(now_ts - timestamp) > TOLERANCE_SECONDS:
        raise SignatureInvalid("timestamp outside the tolerance window")
    expected = signature(secret, msg_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise SignatureInvalid("no matching signature")
    return json.loads(body)
