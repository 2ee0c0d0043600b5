"""Verify a pushed webhook (Standard Webhooks signature and timestamp) and return its event."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping

from pydantic import ValidationError

from emporium_sdk.errors import WebhookVerificationError
from emporium_sdk.models import EventOut

TOLERANCE_SECONDS = 5 * 60
Event = EventOut  # a webhook body is the same envelope as an item of the event feed


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a signing secret is 'whsec_' followed by base64") from None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `v1,<base64>` signature of a message (what the platform sends; handy in tests)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return (
        "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()
    )


class WebhookVerifier:
    """Checks deliveries for one endpoint: `verifier.verify(raw_body, request.headers)`.

    Give several secrets while rotating an endpoint's secret: a delivery signed with any of them
    is accepted, so nothing is refused between the platform switching and the app redeploying.
    """

    def __init__(self, secrets: str | Iterable[str], *, tolerance: int = TOLERANCE_SECONDS) -> None:
        self.secrets = (secrets,) if isinstance(secrets, str) else tuple(secrets)
        if not self.secrets:
            raise ValueError("give at least one signing secret (whsec_...)")
        self.tolerance = tolerance
        for secret in self.secrets:
            _key(secret)  # a malformed secret fails here, at start-up, not on the first delivery

    def verify(
        self, body: bytes | str, headers: Mapping[str, str], *, now: float | None = None
    ) -> Event:
        """The event, if the signature matches and the timestamp is within the tolerance.

        Verify the raw bytes as received: a body parsed and re-serialised differs and fails.
        """
        raw = body.encode() if isinstance(body, str) else bytes(body)
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            msg_id = lower["webhook-id"]
            timestamp = int(lower["webhook-timestamp"])
            offered = lower["webhook-signature"].split()
        except (KeyError, ValueError):
            raise WebhookVerificationError("missing or malformed webhook headers") from None
        now = time.time() if now is None else now
        # Both ways: an old timestamp is a replay, one far ahead would stay "fresh" for long.
        if abs(now - timestamp) > self.tolerance:
            raise WebhookVerificationError("timestamp outside the tolerance window")
        if not self._signed(msg_id, timestamp, raw, offered):
            raise WebhookVerificationError("no matching signature")
        try:
            return Event.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as error:
            raise WebhookVerificationError(f"signed, but not an event: {error}") from None

    def _signed(self, msg_id: str, timestamp: int, raw: bytes, offered: list[str]) -> bool:
        # Every pair is compared (no early exit), so timing tells nothing about which secret or
        # which offered signature came close.
        matches = [
            hmac.compare_digest(sign(secret, msg_id, timestamp, raw).encode(), candidate.encode())
            for secret in self.secrets
            for candidate in offered
        ]
        return any(matches)


def verify_webhook(
    body: bytes | str,
    headers: Mapping[str, str],
    secret: str | Iterable[str],
    *,
    tolerance: int = TOLERANCE_SECONDS,
    now: float | None = None,
) -> Event:
    """Verify one delivery (against one secret, or any of several) and return its event."""
    return WebhookVerifier(secret, tolerance=tolerance).verify(body, headers, now=now)
