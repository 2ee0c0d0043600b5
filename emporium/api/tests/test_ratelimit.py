"""Rate limits: a token bucket per (app, shop) sized by the app's tier, in the database or Redis."""

import uuid
from contextlib import contextmanager
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


# --- the database's leases: a worker takes a second's refill per trip to the database -------------


@pytest.fixture
def leased(settings, frozen):
    """A bucket of 100 refilling 10 a second: each trip to the database leases 10 tokens."""
    settings.API_RATE_LIMITS = {"free": (100, 10)}
    yield


def row_tokens() -> float:
    return RateBucket.objects.get().tokens


@contextmanager
def worker(leases: dict):
    """Run the calls inside as another worker process would: with its own leases."""
    saved = dict(ratelimit._leases)
    ratelimit._leases.clear()
    ratelimit._leases.update(leases)
    try:
        yield
    finally:
        leases.clear()
        leases.update(ratelimit._leases)
        ratelimit._leases.clear()
        ratelimit._leases.update(saved)


def test_calls_within_a_lease_count_down_without_writing(
    leased, seller_api, django_assert_num_queries
):
    assert ratelimit.lease_size(ratelimit.policy_for("free")) == 10
    assert seller_api.get("/shop")["RateLimit"] == "limit=100, remaining=99, reset=1"
    assert row_tokens() == 90  # one token for the call, nine leased for the next calls
    for left in range(98, 89, -1):
        with django_assert_num_queries(1):  # the token (with its shop): no bucket
            response = seller_api.get("/shop")
        assert response["RateLimit"] == f"limit=100, remaining={left}, reset=1"
    assert row_tokens() == 90
    seller_api.get("/shop")  # the lease ran out: the next ten
    assert row_tokens() == 80


def test_a_lease_a_second_old_gives_back_what_it_did_not_spend(leased, seller_api):
    seller_api.get("/shop")
    assert row_tokens() == 90
    clock.set_time(clock.now() + timedelta(seconds=1))
    response = seller_api.get("/shop")
    # 90 + 9 given back + 10 refilled = 100 (the bucket's size), less the new lease of 10.
    assert row_tokens() == 90
    assert response["RateLimit"] == "limit=100, remaining=99, reset=1"


def test_a_clean_stop_gives_back_the_unspent_lease(leased, seller_api):
    """What a worker's exit hook runs: a restart does not leave the client short of tokens."""
    for _ in range(3):
        seller_api.get("/shop")
    assert row_tokens() == 90  # 3 spent, 7 still leased
    assert ratelimit.give_back() == 7
    assert row_tokens() == 97
    assert seller_api.get("/shop")["RateLimit"] == "limit=100, remaining=96, reset=1"


def test_two_workers_never_spend_more_than_the_bucket(leased, seller_api):
    first, second = {}, {}
    with worker(first):
        assert seller_api.get("/shop").status_code == 200  # leases 10
    allowed = 0
    with worker(second):
        while seller_api.get("/shop").status_code == 200:
            allowed += 1
    assert allowed == 90
    with worker(first):
        answers = [seller_api.get("/shop").status_code for _ in range(10)]
    assert answers == [200] * 9 + [429]  # what it leased, and not one more


def test_an_empty_bucket_refuses_without_writing(leased, seller_api, django_assert_num_queries):
    while seller_api.get("/shop").status_code == 200:
        pass
    with django_assert_num_queries(1):  # the token only
        refused = seller_api.get("/shop")
    error_of(refused, 429, "rate_limited")
    clock.set_time(clock.now() + timedelta(seconds=int(refused["Retry-After"])))
    assert seller_api.get("/shop").status_code == 200
