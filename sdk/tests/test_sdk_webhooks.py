"""Webhooks: signed by the standardwebhooks package and by the platform's own dispatcher, verified by the SDK."""

import base64
import json
import secrets
import time

import pytest
from emporium_sdk import Event, WebhookVerificationError, WebhookVerifier, verify_webhook
from emporium_sdk.webhooks import sign
from standardwebhooks.webhooks import Webhook

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
EVENT = {
    "id": "evt_0f8e8f5b7c6d4e1a9b2c3d4e5f607182",
    "type": "order.paid",
    "version": 1,
    "shop_id": "4d6f3c1e-5b0a-4a57-9f0e-2b4f7e1d9c11",
    "occurred_at": "2026-11-25T10:00:00Z",
    "data": {"order": {"number": "E1001"}},
}


def signed(body: bytes, timestamp: float | None = None, msg_id: str = EVENT["id"]) -> dict:
    """Headers as any Standard Webhooks sender makes them (the reference library, not our code)."""
    from datetime import UTC, datetime

    when = datetime.fromtimestamp(time.time() if timestamp is None else timestamp, UTC)
    signature = Webhook(SECRET).sign(msg_id, when, body.decode())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }


BODY = json.dumps(EVENT).encode()


def test_a_signed_delivery_is_verified_and_parsed():
    event = verify_webhook(BODY, signed(BODY), SECRET)
    assert isinstance(event, Event)
    assert (event.id, event.type, event.version) == (EVENT["id"], "order.paid", 1)
    assert event.data["order"]["number"] == "E1001"


def test_header_names_are_case_insensitive_and_any_listed_signature_may_match():
    headers = {k.title(): v for k, v in signed(BODY).items()}
    headers["Webhook-Signature"] = "v1,bm90IGl0 " + headers["Webhook-Signature"]
    assert WebhookVerifier(SECRET).verify(BODY, headers).type == "order.paid"


def test_a_changed_body_is_refused():
    headers = signed(BODY)
    tampered = BODY.replace(b"E1001", b"E1002")
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify_webhook(tampered, headers, SECRET)


def test_another_secret_is_refused():
    other = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    with pytest.raises(WebhookVerificationError, match="signature"):
        verify_webhook(BODY, signed(BODY), other)


@pytest.mark.parametrize("skew", [-301, 301, -3600, 86400])
def test_timestamps_outside_five_minutes_are_refused(skew):
    headers = signed(BODY, time.time() + skew)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify_webhook(BODY, headers, SECRET)


def test_a_replayed_signature_under_another_id_is_refused():
    headers = signed(BODY) | {"webhook-id": "msg_other"}
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, headers, SECRET)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_headers_are_refused(missing):
    headers = signed(BODY)
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match="headers"):
        verify_webhook(BODY, headers, SECRET)


def test_a_signed_body_that_is_not_an_event_is_refused():
    body = b'{"hello": "world"}'
    with pytest.raises(WebhookVerificationError, match="not an event"):
        verify_webhook(body, signed(body), SECRET)


def test_a_malformed_secret_fails_at_once():
    with pytest.raises(ValueError, match="whsec_"):
        WebhookVerifier("whsec_not base64!")


@pytest.mark.django_db(transaction=True)
def test_the_platform_delivers_an_order_webhook_the_sdk_verifies(
    client, registered, shop, item, order_in, receiver
):
    from emporium.events import dispatcher, endpoints

    app, _ = registered
    endpoint = endpoints.subscribe(app, receiver.url, ["order.paid"])
    order = order_in(item.skus.first(), status="paid")
    assert dispatcher.run_once() >= 1
    (headers, body), *_ = receiver.received
    event = verify_webhook(body, headers, endpoint.secret)
    assert (event.type, event.shop_id) == ("order.paid", str(shop.public_id))
    assert event.data["order"]["id"] == str(order.public_id)
    # The same event in the feed, byte for byte the same envelope.
    (in_feed,) = [e for e in client.events.list(topic="order.paid")]
    assert in_feed == event


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def test_during_a_rotation_the_old_and_the_new_secret_are_both_accepted():
    new = new_secret()
    rotating = WebhookVerifier([SECRET, new])
    assert rotating.verify(BODY, signed(BODY)).id == EVENT["id"]  # signed with the old one
    headers = signed(BODY) | {"webhook-signature": sign(new, EVENT["id"], int(time.time()), BODY)}
    assert rotating.verify(BODY, headers).id == EVENT["id"]
    assert verify_webhook(BODY, headers, [SECRET, new]).id == EVENT["id"]


def test_during_a_rotation_a_third_secret_is_refused():
    third = new_secret()
    headers = signed(BODY) | {"webhook-signature": sign(third, EVENT["id"], int(time.time()), BODY)}
    with pytest.raises(WebhookVerificationError, match="signature"):
        WebhookVerifier([SECRET, new_secret()]).verify(BODY, headers)


def test_during_a_rotation_a_tampered_body_or_a_replay_is_refused():
    rotating = WebhookVerifier([new_secret(), SECRET])
    with pytest.raises(WebhookVerificationError, match="signature"):
        rotating.verify(BODY.replace(b"E1001", b"E1002"), signed(BODY))
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        rotating.verify(BODY, signed(BODY, time.time() - 301))


def test_a_rotation_needs_a_secret_and_every_secret_well_formed():
    with pytest.raises(ValueError, match="at least one"):
        WebhookVerifier([])
    with pytest.raises(ValueError, match="whsec_"):
        WebhookVerifier([SECRET, "whsec_not base64!"])
