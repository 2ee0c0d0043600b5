"""Retries against the live platform: 429 honouring Retry-After, 5xx with back-off, and the caps."""

import time

import pytest
from emporium_sdk import Client, InternalServerError, RateLimitError
from emporium_sdk._base import RetryPolicy

from emporium.api.routes import items as item_routes
from emporium.api.routes import shop as shop_routes
from emporium.catalog.models import Item

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("category_tree")]


@pytest.fixture
def small_bucket(settings):
    """Two calls of burst, then one token back every second (Retry-After: 1)."""
    settings.API_RATE_LIMITS = {t: (2, 2) for t in ("free", "standard", "premium")}


def flaky(monkeypatch, module, name: str, failures: int) -> list[int]:
    """Make `module.name` raise for its first `failures` calls: the platform answers 500."""
    real, calls = getattr(module, name), []

    def sometimes(*args, **kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise RuntimeError("the database went away for a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, sometimes)
    return calls


def test_a_429_is_retried_after_retry_after(client, small_bucket):
    started = time.monotonic()
    names = [client.shop.get().name for _ in range(4)]
    elapsed = time.monotonic() - started
    assert len(set(names)) == 1
    assert elapsed >= 1.0  # the third and fourth calls each waited for a token


def test_a_429_is_raised_when_retries_are_spent(live_server, token, small_bucket):
    with Client(live_server.url, access_token=token.access_token, max_retries=0) as client:
        client.shop.get()
        client.shop.get()
        with pytest.raises(RateLimitError) as limited:
            client.shop.get()
    error = limited.value
    assert (error.status, error.code) == (429, "rate_limited")
    assert error.retry_after == 1
    assert error.request_id.startswith("req_")


def test_a_retry_after_longer_than_max_wait_is_not_waited_for(live_server, token, settings):
    settings.API_RATE_LIMITS = {t: (1, 600) for t in ("free", "standard", "premium")}
    with Client(live_server.url, access_token=token.access_token, max_wait=5) as client:
        client.shop.get()
        started = time.monotonic()
        with pytest.raises(RateLimitError) as limited:
            client.shop.get()
    assert time.monotonic() - started < 2
    assert limited.value.retry_after == 600


def test_a_500_is_retried_until_it_succeeds(client, shop, monkeypatch):
    calls = flaky(monkeypatch, shop_routes, "shop_out", failures=2)
    assert client.shop.get().name == shop.name
    assert len(calls) == 3


def test_a_500_is_raised_with_its_request_id_once_retries_are_spent(
    live_server, token, monkeypatch
):
    calls = flaky(monkeypatch, shop_routes, "shop_out", failures=99)
    client = Client(live_server.url, access_token=token.access_token, max_retries=2)
    with pytest.raises(InternalServerError) as failed:
        client.shop.get()
    assert (failed.value.status, failed.value.code) == (500, "internal_error")
    assert failed.value.request_id.startswith("req_")
    assert len(calls) == 3


def test_a_creating_post_is_retried_with_the_same_key_and_creates_one_item(
    client, shop, monkeypatch
):
    # The handler's work rolls back with the 500; the retry, same key, creates the item once.
    calls = flaky(monkeypatch, item_routes, "item_out", failures=1)
    created = client.items.create(
        title="Retried", category="dresses", skus=[{"options": {}, "price": "10.00", "stock": 1}]
    )
    assert len(calls) == 2
    assert list(Item.objects.filter(shop=shop).values_list("title", flat=True)) == ["Retried"]
    assert created.title == "Retried"


def test_a_non_creating_post_is_not_retried_after_a_500(client, shop, item, order_in, monkeypatch):
    from emporium.api.routes import orders as order_routes

    order = order_in(item.skus.first())
    calls = flaky(monkeypatch, order_routes, "order_out", failures=1)
    with pytest.raises(InternalServerError):
        client.orders.ship(str(order.public_id), carrier="SF Express", tracking_number="SF1")
    assert len(calls) == 1


def test_the_back_off_is_jittered_capped_and_honours_retry_after():
    policy = RetryPolicy(max_retries=5, max_wait=4.0, base_delay=0.5)
    for attempt in range(5):
        wait = policy.delay(attempt, None)
        cap = min(4.0, 0.5 * 2**attempt)
        assert cap / 2 <= wait <= cap
    assert policy.delay(5, None) is None  # retries spent
    assert 3.0 <= policy.delay(0, 3.0) <= 3.5
    assert policy.delay(0, 10.0) is None  # longer than max_wait: give up now
    waits = {policy.delay(3, None) for _ in range(20)}
    assert len(waits) > 1  # jitter: clients refused together do not return together
