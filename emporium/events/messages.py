"""What goes over the wire: the event envelope and its Standard Webhooks signature.

Every webhook body, and every item of the event feed, is the same envelope:

    {"id": "evt_…", "type": "order.paid", "version": 1, "shop_id": "…",
     "occurred_at": "2026-11-25T10:00:00Z", "data": {…}}

The signature follows Standard Webhooks (https://www.standardwebhooks.com/): HMAC-SHA256 keyed
with the base64-decoded secret after its `whsec_` prefix, over `{id}.{timestamp}.{body}`.
Receivers verify with the SDK's `emporium_sdk.webhooks` or any Standard Webhooks library; the
platform itself only signs.
"""

import base64
import functools
import hashlib
import hmac
import json
from datetime import UTC

from emporium.events.models import Event


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


@functools.lru_cache(maxsize=1024)
def _key(secret: str) -> bytes:
    # Cached: a dispatcher signs for the same few endpoints thousands of times a second.
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
