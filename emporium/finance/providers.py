"""Payment and payout providers: the interface, and the signed notification every provider answers with.

The protocol (docs/security.md, "Money in and out"):
1. the platform makes an intent — a `TopUp` (money in) or a `PayoutTransfer` (money out) — and
   hands it to the provider;
2. the provider answers later, asynchronously, with a notification signed by a secret it shares
   with us: header `Provider-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`;
3. the platform checks the signature and its age, finds the intent, checks amount and currency,
   then moves the money — once, however often the notification arrives (finance/notifications).
"""

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from emporium.finance.models import PayoutTransfer, TopUp
from emporium.lib import money
from emporium.lib.errors import DomainError

SIGNATURE_HEADER = "Provider-Signature"
# A signed notification older than this is refused, so a captured one cannot be replayed later.
TOLERANCE_SECONDS = 300
KINDS = ("top_up", "payout")
OUTCOMES = {"top_up": ("succeeded", "failed"), "payout": ("paid", "failed")}


class BadNotification(DomainError):
    """A notification we cannot trust or cannot apply: never moves money."""

    def __init__(self, message: str, code: str = "bad_notification"):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class Notification:
    id: str  # the provider's id of this notification
    kind: str  # "top_up" | "payout"
    intent: str  # the public id of our TopUp or PayoutTransfer
    outcome: str  # top_up: "succeeded" | "failed"; payout: "paid" | "failed"
    amount: Decimal
    currency: str

    def body(self) -> bytes:
        return json.dumps({
            "id": self.id, "kind": self.kind, "intent": self.intent, "outcome": self.outcome,
            "amount": str(self.amount), "currency": self.currency,
        }).encode()  # fmt: skip


class TopUpProvider(Protocol):
    name: str

    def start_top_up(self, top_up: TopUp) -> str:
        """Register the intent with the provider; the URL of the page where the member pays."""

    def verify(self, body: bytes, headers: Mapping[str, str], now: float) -> Notification:
        """The notification in `body` if its signature is this provider's, else BadNotification."""


class PayoutProvider(Protocol):
    name: str

    def start_payout(self, transfer: PayoutTransfer) -> None:
        """Ask the provider to pay; its answer comes later as a notification."""

    def verify(self, body: bytes, headers: Mapping[str, str], now: float) -> Notification:
        """The notification in `body` if its signature is this provider's, else BadNotification."""


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The signature header's value for `body` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def check_signature(body: bytes, header: str | None, secret: str, now: float) -> None:
    """Refuse a notification without a valid, fresh signature over these exact bytes."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        raise BadNotification("the notification is not signed", "unsigned") from None
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise BadNotification("the notification's signature is too old or too new", "stale")
    expected = sign(body, secret, timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise BadNotification("the notification's signature does not match", "bad_signature")


def parse(body: bytes) -> Notification:
    """A notification's fields, strictly: a JSON object with every field of the right kind."""
    try:
        data = json.loads(body)
        kind, outcome = str(data["kind"]), str(data["outcome"])
        amount = money.parse_amount(str(data["amount"]), field="amount")
        fields = (str(data["id"]), str(uuid.UUID(str(data["intent"]))), str(data["currency"]))
    except (ValueError, KeyError, TypeError, money.AmountError):
        raise BadNotification("the notification is not one we understand", "malformed") from None
    if kind not in KINDS or outcome not in OUTCOMES[kind]:
        raise BadNotification("the notification's kind or outcome is unknown", "malformed")
    return Notification(fields[0], kind, fields[1], outcome, amount, fields[2])
