"""Property tests of /collect's input handling, through its public entry (POST /collect), not its
storage: whatever a page or a script sends — any JSON, broken JSON, any bytes — the answer is
204 or a 4xx with the error envelope, never a 5xx, and the counts it reports add up.

Built from the event shapes of customer_events/schema.py with every field also allowed to be
anything, so the validator meets near-misses (wrong types, bounds ±1, extra keys) as well as noise.
"""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def maybe(strategy):
    """The right kind of value, or anything at all."""
    return st.one_of(strategy, json_values)


token = st.from_regex(r"\A[A-Za-z0-9_-]{6,42}\Z")
uuids = st.uuids().map(str)
page = st.fixed_dictionaries(
    {
        "type": maybe(st.sampled_from(["home", "item", "search", "shop", "cart", "nope"])),
        "path": maybe(st.text(max_size=30).map(lambda s: "/" + s)),
    },
    optional={
        "item_id": maybe(uuids), "shop_id": maybe(uuids), "search": maybe(st.text(max_size=120)),
        "category_id": maybe(st.integers(-1, 3)), "extra": json_values,
    },
)  # fmt: skip
event = st.fixed_dictionaries(
    {
        "type": maybe(st.sampled_from(
            ["page_viewed", "engaged_time", "added_to_cart", "checkout_completed", "other"]
        )),
        "page_view_id": maybe(token),
        "page": maybe(page),
    },
    optional={
        "session_id": maybe(token), "referrer": maybe(st.text(max_size=50)),
        "engaged_ms": maybe(st.integers(-1, 86_400_001)), "item_id": maybe(uuids),
        "sku_id": maybe(st.integers(0, 3)), "quantity": maybe(st.integers(0, 1000)),
        "order_id": maybe(uuids), "total": maybe(st.from_regex(r"\A\d{1,11}\.\d{1,3}\Z")),
        "currency": maybe(st.sampled_from(["CNY", "cny", "CN"])),
        "utm": maybe(st.dictionaries(st.sampled_from(["source", "medium", "x"]), json_values)),
    },
)  # fmt: skip
batches = st.one_of(
    st.lists(st.one_of(event, json_values), max_size=8).map(lambda evs: {"events": evs}),
    json_values,
)


@pytest.fixture
def send(client, settings):
    settings.CUSTOMER_EVENTS_PER_VISITOR_MINUTE = 10**9
    settings.CUSTOMER_EVENTS_PER_ADDRESS_MINUTE = 10**9

    def post(body: bytes, content_type: str = "text/plain"):
        return client.post(
            "/collect", body, content_type=content_type, REMOTE_ADDR="223.5.5.5",
            HTTP_USER_AGENT=BROWSER_UA, HTTP_ORIGIN="http://testserver",
        )  # fmt: skip

    return post


def assert_clear_answer(response, sent_events=None):
    assert response.status_code < 500, response.content
    if response.status_code == 204:
        accepted = int(response["Emporium-Events-Accepted"])
        dropped = int(response["Emporium-Events-Dropped"])
        if sent_events is not None:
            assert accepted + dropped == len(sent_events)
    else:
        assert 400 <= response.status_code < 500
        assert set(response.json()["error"]) >= {"code", "message"}


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(batches)
def test_any_json_batch_gets_a_clear_answer(send, batch):
    response = send(json.dumps(batch).encode())
    events = batch.get("events") if isinstance(batch, dict) else None
    assert_clear_answer(
        response, events if isinstance(events, list) and len(events) <= 50 else None
    )


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300), st.sampled_from(["text/plain", "application/json"]))
def test_any_bytes_get_a_clear_answer(send, body, content_type):
    assert_clear_answer(send(body, content_type))


def test_a_well_formed_event_for_nothing_known_is_dropped_not_refused(send):
    view = {"type": "page_viewed", "page_view_id": "abcdefgh12", "page": {
        "type": "item", "path": "/item/x/", "item_id": str(uuid.uuid4())}}  # fmt: skip
    response = send(json.dumps({"events": [view]}).encode())
    assert response.status_code == 204
    assert (response["Emporium-Events-Accepted"], response["Emporium-Events-Dropped"]) == ("0", "1")
