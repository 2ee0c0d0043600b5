"""The signature helper refuses a tampered body and an old timestamp; so does standardwebhooks."""

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from emporium.events import messages
from emporium.events.models import new_signing_secret

SECRET = new_signing_secret()
BODY = b'{"id":"evt_1","type":"order.paid","version":1,"data":{"total":"10.00"}}'


def signed(timestamp: int | None = None, body: bytes = BODY) -> dict[str, str]:
    return messages.headers(SECRET, "evt_1", timestamp or int(time.time()), body)


def test_a_genuine_message_verifies_with_both_helpers():
    headers = signed()
    assert messages.verify(SECRET, headers, BODY)["type"] == "order.paid"
    assert Webhook(SECRET).verify(BODY, headers)["id"] == "evt_1"


def test_a_tampered_body_is_refused():
    headers = signed()
    tampered = BODY.replace(b"10.00", b"99.00")
    with pytest.raises(messages.SignatureInvalid, match="signature"):
        messages.verify(SECRET, headers, tampered)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, headers)


def test_an_old_timestamp_is_refused_even_with_a_valid_signature():
    headers = signed(int(time.time()) - 10 * 60)  # a replay of a captured request
    with pytest.raises(messages.SignatureInvalid, match="timestamp"):
        messages.verify(SECRET, headers, BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY, headers)


def test_another_secret_or_missing_headers_are_refused():
    headers = signed()
    with pytest.raises(messages.SignatureInvalid):
        messages.verify(new_signing_secret(), headers, BODY)
    with pytest.raises(messages.SignatureInvalid, match="headers"):
        messages.verify(SECRET, {"webhook-id": "evt_1"}, BODY)


def test_a_rotated_secret_may_sign_alongside_the_old_one():
    # Receivers accept any of the space-separated signatures (Standard Webhooks rotation).
    headers = signed()
    other = messages.signature(
        new_signing_secret(), "evt_1", int(headers["webhook-timestamp"]), BODY
    )
    headers["webhook-signature"] = f"{other} {headers['webhook-signature']}"
    assert messages.verify(SECRET, headers, BODY)["id"] == "evt_1"
