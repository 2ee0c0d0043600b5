"""The call log: every call recorded off the request path, and the statistics built on it."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from emporium.api import calllog
from emporium.api.models import ApiCall
from emporium.api.tests.conftest import Api, make_app
from emporium.lib import clock


def test_every_call_is_recorded_with_its_route_template(seller_api, item, app, shop):
    ok = seller_api.get(f"/items/{item.public_id}", HTTP_X_REQUEST_ID="trace-1")
    missing = seller_api.get("/items/8a3f9d5e-0000-4000-8000-000000000000")
    assert (ok.status_code, missing.status_code) == (200, 404)
    assert not ApiCall.objects.exists()  # nothing written on the request path
    assert calllog.flush() == 2
    first, second = ApiCall.objects.order_by("id")
    assert (first.method, first.route, first.status, first.error_code) == (
        "GET",
        "/items/{item_id}",
        200,
        "",
    )
    assert (first.app_id, first.shop_id, first.request_id) == (app.pk, shop.pk, "trace-1")
    assert first.latency_ms > 0
    assert (second.status, second.error_code) == (404, "not_found")


def test_refused_and_unknown_calls_are_recorded_too(shop):
    Api().get("/shop")
    Api().get("/nowhere")
    Api().get("/openapi.json")  # the document is not an API call
    calllog.flush()
    rows = list(
        ApiCall.objects.order_by("id").values_list("route", "status", "error_code", "app_id")
    )
    assert rows == [("/shop", 401, "unauthorized", None), ("(unmatched)", 404, "not_found", None)]


def test_recording_costs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        for n in range(100):
            calllog.record(
                calllog.Call(
                    app_id=1, shop_id=1, method="GET", route="/items", status=200, latency_ms=1.0,
                    request_id=f"r{n}", error_code="", at=clock.now(),
                )
            )  # fmt: skip
    assert calllog.pending() == 100


@pytest.mark.django_db(transaction=True)
def test_the_background_writer_flushes_within_a_second_or_so(settings, seller, shop, make_token):
    settings.API_CALL_LOG_THREAD = True
    settings.API_CALL_LOG_FLUSH_SECONDS = 0.2
    Api(make_token(seller)).get("/shop")
    try:
        deadline = time.monotonic() + 5
        while not ApiCall.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ApiCall.objects.get().route == "/shop"
    finally:
        calllog.stop_writer()


def test_a_clean_shutdown_writes_every_row_still_waiting(seller, shop, make_token):
    """What the exit hook runs when a process stops cleanly: the rows waiting for the next
    batch land. (The writer thread stays off here: its own connection could not write past the
    test's open transaction. The real server is stopped in test_clean_stop.py.)"""
    api = Api(make_token(seller))
    for _ in range(3):
        api.get("/shop")
    assert calllog.pending() == 3 and not ApiCall.objects.exists()
    calllog.stop_writer()
    assert ApiCall.objects.filter(route="/shop").count() == 3
    assert calllog.pending() == 0


# ---------------------------------------------------------------- statistics


@pytest.fixture
def now():
    moment = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    clock.set_time(moment)
    yield moment
    clock.set_time(None)


def log(app, at, status=200, latency=10.0, route="/items", method="GET", code="", rid="r"):
    return ApiCall(
        app=app, method=method, route=route, status=status, latency_ms=latency,
        request_id=rid, error_code=code, at=at,
    )  # fmt: skip


def test_the_statistics_of_one_app(now, app, developer):
    yesterday, today = now - timedelta(days=1), now - timedelta(hours=1)
    rows = [log(app, yesterday, latency=float(ms)) for ms in range(1, 91)]  # 90 calls, 1..90 ms
    rows += [log(app, today, status=404, latency=100.0, route="/orders/{order_id}", code="not_found", rid=f"e{n}")
             for n in range(10)]  # fmt: skip
    rows.append(log(make_app(developer, "Someone else's"), today, status=500, latency=9999.0))
    rows.append(log(app, now - timedelta(days=30)))  # outside the window
    ApiCall.objects.bulk_create(rows)

    stats = calllog.app_stats(app.pk, days=7)

    assert (stats.calls, stats.errors, stats.error_rate) == (100, 10, 0.1)
    assert (stats.p50_ms, stats.p95_ms) == (50.0, 100.0)
    assert [(d.day.isoformat(), d.calls, d.errors) for d in stats.per_day] == [
        ("2026-06-09", 90, 0),
        ("2026-06-10", 10, 10),
    ]
    assert [(e.route, e.calls, e.errors) for e in stats.top_endpoints] == [
        ("/items", 90, 0),
        ("/orders/{order_id}", 10, 10),
    ]
    assert len(stats.recent_errors) == 10
    assert {e.request_id for e in stats.recent_errors} == {f"e{n}" for n in range(10)}


def test_an_app_without_calls_has_empty_statistics(now, app):
    stats = calllog.app_stats(app.pk)
    assert (stats.calls, stats.error_rate, stats.p50_ms, stats.per_day) == (0, 0.0, None, [])


def test_old_rows_are_purged(now, app):
    ApiCall.objects.bulk_create([log(app, now - timedelta(days=100)), log(app, now)])
    assert calllog.purge(older_than_days=90) == 1
    assert ApiCall.objects.count() == 1


def test_a_call_with_an_expired_token_counts_for_its_app(seller, shop, app, make_token):
    Api(make_token(seller, expires_in=-1)).get("/shop")
    calllog.flush()
    row = ApiCall.objects.get()
    assert (row.app_id, row.shop_id, row.status, row.error_code) == (
        app.pk,
        shop.pk,
        401,
        "token_expired",
    )
