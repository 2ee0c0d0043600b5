"""Batches in: once per event id, bad events named and never half-written, orders' latest state."""

import copy
from datetime import timedelta

import pytest
import stats_reference as ref
from emporium_stats import store as stats
from emporium_stats import traffic
from stats_data import FIRST_DAY, load

DAY = (FIRST_DAY, FIRST_DAY + timedelta(1))


@pytest.fixture
def store(make_store, engine):
    return make_store(engine)


def page_views(store, shop):
    return stats.overview(store, [shop], *DAY)["current"]["page_views"]


def test_a_redelivered_or_replayed_batch_counts_once(store, shops, events):
    shop = shops[0].shop_id
    batch = [e for e in events if e["shop_id"] == shop][:500]
    assert stats.ingest_customer_events(store, batch) == 500
    assert stats.ingest_customer_events(store, batch) == 0
    # A feed replay overlapping the last batch, and a duplicate inside one batch.
    replay = batch[250:] + [e for e in events if e["shop_id"] == shop][500:600]
    assert stats.ingest_customer_events(store, replay + replay[:10]) == 100
    first_600 = [e for e in events if e["shop_id"] == shop][:600]
    assert page_views(store, shop) == len(ref.views(ref.select(first_600, [shop], *DAY)))


BAD = [
    ({"name": None}, "name must be str"),
    ({"name": "clicked"}, "name must be one of"),
    ({"received_at": "yesterday"}, "received_at must be an ISO 8601 time"),
    ({"received_at": "2026-06-01T09:30:00"}, "received_at must carry a time zone"),
    ({"shop_id": "shop-1"}, "shop_id must be a UUID"),
    ({"page": "home"}, "page must be dict"),
    ({"region": {"country": "CN", "province": 3, "city": ""}}, "region.province must be str"),
    ({"session_id": "x' OR '1"}, "session_id must be 1–64 letters"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_bad_event_is_skipped_counted_and_named(store, events, change, message, caplog):
    batch = copy.deepcopy(events[:20])
    batch[7].update(change)
    assert stats.ingest_customer_events(store, batch) == 19
    assert message in caplog.text and f"event 7 ({batch[7]['event_id']})" in caplog.text
    assert stats.get_state(store, "rejected_events") == "1"


def test_kind_fields_are_checked(store, events):
    cart = copy.deepcopy(next(e for e in events if e["name"] == "added_to_cart"))
    engaged = copy.deepcopy(next(e for e in events if e["name"] == "engaged_time"))
    checkout = copy.deepcopy(next(e for e in events if e["name"] == "checkout_completed"))
    cart["quantity"] = True
    engaged["engaged_ms"] = "42"
    checkout["total"] = "lots"
    missing = copy.deepcopy(events[0])
    del missing["visitor_id"]
    with pytest.raises(stats.InvalidBatch) as raised:
        stats.ingest_customer_events(
            store, [cart, engaged, checkout, missing, "x"], on_error="raise"
        )
    text = str(raised.value)
    for part in ("event 0", "quantity must be int", "engaged_ms must be int", "total must be a decimal",
                 "visitor_id is missing", "event 4: event must be an object"):  # fmt: skip
        assert part in text
    assert len(raised.value.problems) == 5


def test_a_rejected_batch_writes_nothing(store, shops, events):
    batch = copy.deepcopy(events[:50])
    batch[-1]["page_view_id"] = 12
    with pytest.raises(stats.InvalidBatch, match="event 49.*page_view_id must be str"):
        stats.ingest_customer_events(store, batch, on_error="raise")
    assert all(page_views(store, s.shop_id) == 0 for s in shops)


def test_the_latest_state_of_an_order_wins(store, shops, orders):
    shop = shops[0].shop_id
    order = next(o for s, o in orders if s == shop and o["paid_at"])
    created = order | {"status": "pending_payment", "paid_at": None}
    cancelled = order | {"status": "cancelled", "cancelled_at": order["paid_at"]}
    day = (ref.local_day(order["created_at"]), ref.local_day(order["created_at"]) + timedelta(1))
    assert stats.ingest_orders(store, shop, [created]) == 1
    assert stats.overview(store, [shop], *day)["current"]["orders"] == 0
    assert stats.ingest_orders(store, shop, [order]) == 1
    assert stats.ingest_orders(store, shop, [created]) == 0  # a late order.created changes nothing
    found = stats.overview(store, [shop], *day)["current"]
    assert (found["orders"], found["sales"]) == (1, ref.Decimal(order["total_amount"]["amount"]))
    assert stats.ingest_orders(store, shop, [cancelled]) == 1
    units = sum(line["quantity"] for line in order["lines"])
    assert sum(r["units"] for r in stats.items(store, [shop], *day)) == units  # lines not doubled
    with pytest.raises(stats.InvalidInput, match="order 0: total_amount.amount must be a decimal"):
        stats.ingest_orders(
            store, shop, [order | {"total_amount": {"amount": "x", "currency": "CNY"}}]
        )


def test_the_items_snapshot_is_replaced(store, shops):
    shop = shops[0]
    assert stats.replace_items(store, shop.shop_id, traffic.items_for(shop)) == 120
    assert stats.replace_items(store, shop.shop_id, traffic.items_for(shop)[:5]) == 5
    unattended = stats.unattended_items(store, [shop.shop_id], *DAY)
    assert len(unattended) == sum(1 for i in shop.item_ids[:5] if i in shop.on_sale)


def test_state_keeps_any_value(store):
    assert stats.get_state(store, "feed_cursor") is None
    stats.set_state(store, "feed_cursor", "it's a \\ 'cursor'")
    stats.set_state(store, "feed_cursor", "c2'")
    assert stats.get_state(store, "feed_cursor") == "c2'"


def test_a_shop_can_be_erased(store, shops, events, orders):
    load(store, shops, events, orders)
    stats.delete_shop(store, shops[0].shop_id)
    assert page_views(store, shops[0].shop_id) == 0
    assert page_views(store, shops[1].shop_id) > 0
