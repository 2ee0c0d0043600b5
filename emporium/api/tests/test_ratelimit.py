"""Rate limits: a token bucket per (app, shop) sized by the app's tier, in the database or Redis."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis

from emporium.api import ratelimit
from emporium.api.models import RateBucket
from emporium.api.tests.conftest import Api, error_of, make_app
from emporium.lib import clock

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def frozen():
    clock.set_time(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    yield clock
    clock.set_time(None)


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    """Every test below runs on both stores; the Redis one under a prefix of its own."""
    settings.API_RATE_LIMITS = {"free": (3, 60), "standard": (6, 60), "premium": (600, 60)}
    if request.param == "redis":
        prefix = f"test:{uuid.uuid4().hex}:"
        settings.REDIS_URL, settings.API_RATE_LIMIT_PREFIX = REDIS_URL, prefix
        yield request.param
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(prefix + "*"):
            client.delete(key)
    else:
        yield request.param


def test_a_full_bucket_answers_with_the_policy_and_what_remains(backend, frozen, seller_api):
    response = seller_api.get("/shop")
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == "3;w=60"
    # One of three tokens taken; a token comes back every 20 s, so full again in 20 s.
    assert response["RateLimit"] == "limit=3, remaining=2, reset=20"


def test_an_empty_bucket_answers_429_with_retry_after(backend, frozen, seller_api):
    for _ in range(3):
        assert seller_api.get("/shop").status_code == 200
    response = seller_api.get("/shop")
    error_of(response, 429, "rate_limited")
    assert response["Retry-After"] == "20"
    assert response["RateLimit"] == "limit=3, remaining=0, reset=60"


def test_the_bucket_refills_with_time(backend, frozen, seller_api):
    for _ in range(3):
        seller_api.get("/shop")
    assert seller_api.get("/shop").status_code == 429
    frozen.advance(timedelta(seconds=20))
    assert seller_api.get("/shop").status_code == 200
    assert seller_api.get("/shop").status_code == 429
    frozen.advance(timedelta(minutes=10))  # never more than the capacity
    assert seller_api.get("/shop")["RateLimit"] == "limit=3, remaining=2, reset=20"


def test_each_shop_has_its_own_bucket(backend, frozen, seller_api, other_api):
    for _ in range(3):
        seller_api.get("/shop")
    assert seller_api.get("/shop").status_code == 429
    assert other_api.get("/shop").status_code == 200


def test_the_size_follows_the_apps_tier(backend, frozen, seller, shop, developer, make_token):
    standard = make_app(developer, "Bigger", tier="standard")
    response = Api(make_token(seller, for_app=standard)).get("/shop")
    assert response["RateLimit-Policy"] == "6;w=60"


def test_refused_calls_are_not_charged_before_the_token_is_known(backend, frozen, shop):
    for _ in range(5):
        error_of(Api("unknown").get("/shop"), 401, "invalid_token")
    assert not RateBucket.objects.exists()


def test_the_redis_bucket_expires_when_it_would_be_full(settings, frozen, seller_api):
    settings.API_RATE_LIMITS = {"free": (3, 60)}
    prefix = f"test:{uuid.uuid4().hex}:"
    settings.REDIS_URL, settings.API_RATE_LIMIT_PREFIX = REDIS_URL, prefix
    seller_api.get("/shop")
    client = redis.Redis.from_url(REDIS_URL)
    (key,) = list(client.scan_iter(prefix + "*"))
    assert 60 < client.ttl(key) <= 120
    client.delete(key)


def test_an_unreachable_redis_lets_calls_through(settings, seller_api):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert seller_api.get("/shop").status_code == 200


def test_the_arithmetic():
    policy = ratelimit.Policy(capacity=10, window=5)
    assert ratelimit.refill_and_take(0.0, 100.0, 100.25, policy) == (False, 0.5)
    assert ratelimit.refill_and_take(0.5, 100.0, 100.25, policy) == (True, 0.0)
    assert ratelimit.refill_and_take(3.0, 100.0, 99.0, policy) == (
        True,
        2.0,
    )  # clock skew: no refill
    decision = ratelimit.Decision(allowed=False, tokens=0.5, policy=policy)
    assert (decision.remaining, decision.retry_after, decision.reset) == (0, 1, 5)
