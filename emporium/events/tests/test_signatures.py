"""What the platform signs verifies with our SDK and with the standardwebhooks package; a tampered
body, an old timestamp, another secret or missing headers are refused by both."""

import time

import pytest
from emporium_sdk.webhooks import WebhookVerificationError as Refused
from emporium_sdk.webhooks import verify_webhook
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from emporium.events import messages
from emporium.events.models import new_signing_secret

SECRET = new_signing_secret()
BODY = (
    b'{"id":"evt_1","type":"order.paid","version":1,"shop_id":null,'
    b'"occurred_at":"2026-12-06T10:00:00Z","data":{"total":"10.00"}}'
)


def signed(timestamp: int | None = None, body: bytes = BODY) -> dict[str, str]:
    return messages.headers(SECRET, "evt_1", timestamp or int(time.time()), body)


def test_a_genuine_message_verifies_with_both_helpers():
    headers = signed()
    assert verify_webhook(BODY, headers, SECRET).type == "order.paid"
    assert Webhook(SECRET).verify(BODY, headers)["id"] == "evt_1"


def test_a_tampered_body_is_refused():
    headers = signed()
    tampered = BODY.replace(b"10.00", b"99.00")
    with pytest.raises(Refused, match="signature"):
        verify_webhook(tampered, headers, SECRET)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, headers)


def test_an_old_timestamp_is_refused_even_with_a_valid_signature():
    headers = signed(int(time.time()) - 10 * 60)  # a replay of a captured request
    with pytest.raises(Refused, match="timestamp"):
        verify_webhook(BODY, headers, SECRET)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY, headers)


def test_another_secret_or_missing_headers_are_refused():
    headers = signed()
    with pytest.raises(Refused):
        verify_webhook(BODY, headers, new_signing_secret())
    with pytest.raises(Refused, match="headers"):
        verify_webhook(BODY, {"webhook-id": "evt_1"}, SECRET)


def test_a_rotated_secret_may_sign_alongside_the_old_one():
    # Receivers accept any of the space-separated signatures (Standard Webhooks rotation).
    headers = signed()
    other = messages.signature(
        new_signing_secret(), "evt_1", int(headers["webhook-timestamp"]), BODY
    )
    headers["webhook-signature"] = f"{other} {headers['webhook-signature']}"
    assert verify_webhook(BODY, headers, SECRET).id == "evt_1"
