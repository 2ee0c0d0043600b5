"""Real threads and connections: a bucket never lends more than it holds, a key never creates twice."""

import threading
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connections

from emporium.api import ratelimit
from emporium.api.tests.conftest import Api, make_app
from emporium.catalog.models import Item
from emporium.lib import clock

RACERS = 12


def race(work, count: int = RACERS) -> list:
    start, results, lock = threading.Barrier(count), [], threading.Lock()

    def run():
        try:
            start.wait()
            result = work()
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def frozen():
    clock.set_time(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    yield
    clock.set_time(None)


@pytest.mark.parametrize("store", ["database", "redis"])
@pytest.mark.django_db(transaction=True)
def test_racing_calls_take_exactly_the_tokens_there_are(store, settings, frozen, developer, shop):
    settings.API_RATE_LIMITS = {"free": (5, 3600)}
    if store == "redis":
        settings.REDIS_URL = "redis://127.0.0.1:6379/15"
        settings.API_RATE_LIMIT_PREFIX = f"test:{uuid.uuid4().hex}:"
    app = make_app(developer)
    outcomes = race(lambda: ratelimit.take(app.pk, shop.pk, "free").allowed)
    assert len(outcomes) == RACERS
    assert outcomes.count(True) == 5


@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_one_key_create_one_item(seller, shop, make_token, dresses):
    token = make_token(seller)
    body = {"title": "Raced coat", "category": "dresses", "skus": [{"price": "10.00", "stock": 1}]}

    def create():
        response = Api(token).post("/items", body, HTTP_IDEMPOTENCY_KEY="same-key")
        return response.status_code, response.json()["id"]

    outcomes = race(create, 6)
    assert {status for status, _ in outcomes} == {201}
    assert len({item_id for _, item_id in outcomes}) == 1
    assert Item.objects.filter(title="Raced coat").count() == 1
