"""Old days answered from the rollups give exactly the figures the raw events gave."""

from datetime import datetime, timedelta

import pytest
from emporium_stats import store as stats
from stats_data import DAYS, FIRST_DAY, load

SHAPES = [
    ("overview", {}),
    ("trend_by_day", {}),
    ("trend_by_hour", {}),
    ("items", {"by_shop": True}),
    ("unattended_items", {}),
    ("pages", {}),
    ("search_keywords", {"limit": None}),
    ("regions", {"level": "province"}),
    ("regions", {}),
    ("sources", {}),
]


def figures(store, shop_ids, start, end):
    return [
        getattr(stats, name)(store, shop_ids, start, end, **options) for name, options in SHAPES
    ]


@pytest.fixture
def store(make_store, engine, shops, events, orders):
    store = make_store(engine, raw_days=30)
    load(store, shops, events, orders)
    return store


def test_pruned_days_read_the_rollups(store, shops, events, orders):
    both = [s.shop_id for s in shops]
    whole = (FIRST_DAY, FIRST_DAY + timedelta(DAYS))
    crossing = (FIRST_DAY + timedelta(1), FIRST_DAY + timedelta(3))
    before = [figures(store, both, *whole), figures(store, [both[0]], *crossing)]
    # Keep 30 days before "today": the first two generated days fall out of the raw events.
    rolled = stats.prune(store, FIRST_DAY + timedelta(32))
    assert rolled == [FIRST_DAY, FIRST_DAY + timedelta(1)]
    assert stats.raw_from(store) == FIRST_DAY + timedelta(2)
    after = [figures(store, both, *whole), figures(store, [both[0]], *crossing)]
    assert after == before
    # A late replay of pruned days is not counted twice; the raw days still dedupe.
    assert stats.ingest_customer_events(store, events[:500]) == 0
    assert figures(store, both, *whole) == before[0]
    assert stats.prune(store, FIRST_DAY + timedelta(32)) == []


def test_everything_pruned_still_answers(store, shops):
    both = [s.shop_id for s in shops]
    whole = (FIRST_DAY, FIRST_DAY + timedelta(DAYS))
    before = figures(store, both, *whole)
    stats.prune(store, FIRST_DAY + timedelta(DAYS + 40))
    assert figures(store, both, *whole) == before
    assert stats.realtime(store, both, datetime.now(tz=store.tz))["online"] == 0


def test_a_rollup_can_be_rerun(store, shops):
    both = [s.shop_id for s in shops]
    whole = (FIRST_DAY, FIRST_DAY + timedelta(DAYS))
    before = figures(store, both, *whole)
    stats.rollup(store, FIRST_DAY)
    stats.rollup(store, FIRST_DAY)
    stats.prune(store, FIRST_DAY + timedelta(DAYS + 40))
    assert figures(store, both, *whole) == before


def test_closed_days_read_their_rollups_and_a_late_event_is_rolled_again(
    store, make_store, engine, shops, events, orders
):
    both = [s.shop_id for s in shops]
    whole = (FIRST_DAY, FIRST_DAY + timedelta(DAYS))
    crossing = (FIRST_DAY + timedelta(1), FIRST_DAY + timedelta(3))
    late = [e for e in events if e["received_at"].startswith(str(FIRST_DAY + timedelta(1)))][:40]
    assert len(late) == 40
    held_back = {e["event_id"] for e in late}
    fresh = make_store(engine, raw_days=30)
    load(fresh, shops, [e for e in events if e["event_id"] not in held_back], orders)
    before = [figures(fresh, both, *whole), figures(fresh, [both[0]], *crossing)]
    # "Today" is the last generated day: every earlier day is closed into the rollups...
    closed = stats.close_days(fresh, FIRST_DAY + timedelta(DAYS - 1))
    assert closed == [FIRST_DAY + timedelta(n) for n in range(DAYS - 1)]
    assert stats.rolled_until(fresh) == FIRST_DAY + timedelta(DAYS - 1)
    assert [figures(fresh, both, *whole), figures(fresh, [both[0]], *crossing)] == before
    # ... and the events that arrive late (a feed catching up) are counted on their closed day.
    assert stats.ingest_customer_events(fresh, late) == len(late)
    assert figures(fresh, both, *whole) == figures(store, both, *whole)
    assert stats.close_days(fresh, FIRST_DAY + timedelta(DAYS - 1)) == []
