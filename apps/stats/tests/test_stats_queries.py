"""Every figure of every query equals the one computed in plain Python from the delivered events."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import stats_reference as ref
from emporium_stats import store as stats
from stats_data import FIRST_DAY

START, END = FIRST_DAY + timedelta(1), FIRST_DAY + timedelta(3)  # two local days, crossing midnight


def ids(shops):
    return [s.shop_id for s in shops]


def test_overview_of_one_shop_matches_the_events(loaded, shops, events, orders):
    one = ids(shops)[:1]
    found = stats.overview(loaded, one, START, END)
    assert found["current"] == ref.overview(events, orders, one, START, END)
    assert found["current"]["page_views"] > 1000 and found["current"]["orders"] > 0


def test_the_mall_edition_adds_up_its_shops(loaded, shops, events, orders):
    both = ids(shops)
    found = stats.overview(loaded, both, START, END)
    assert found["current"] == ref.overview(events, orders, both, START, END)
    per_shop = {row.pop("shop_id"): row for row in found["shops"]}
    for shop in both:
        assert per_shop[shop] == ref.overview(events, orders, [shop], START, END)


def test_the_previous_period_is_as_long_and_just_before(loaded, shops, events, orders):
    one = ids(shops)[:1]
    found = stats.overview(loaded, one, START, END)
    before = (FIRST_DAY - timedelta(1), START)
    assert (found["previous_start"], found["previous_end"]) == before
    assert found["previous"] == ref.overview(events, orders, one, *before)
    now, then = found["current"]["page_views"], found["previous"]["page_views"]
    assert found["change"]["page_views"] == pytest.approx((now - then) / then * 100)


def test_an_empty_range_gives_zeros(loaded, shops):
    for start, end in ((date(2025, 1, 1), date(2025, 1, 8)), (START, START)):
        found = stats.overview(loaded, ids(shops), start, end)
        assert found["current"]["page_views"] == 0
        assert found["current"]["bounce_rate"] == 0.0
        assert found["current"]["sales"] == Decimal("0.00")
        assert found["change"]["visitors"] is None
    assert stats.items(loaded, ids(shops), START, START) == []
    assert (
        sum(
            r["page_views"]
            for r in stats.trend_by_day(loaded, ids(shops), *(date(2025, 1, 1), date(2025, 1, 3)))
        )
        == 0
    )


def test_trend_by_day_and_by_hour(loaded, shops, events, orders):
    both = ids(shops)
    days = stats.trend_by_day(loaded, both, FIRST_DAY, FIRST_DAY + timedelta(4))
    assert [r["day"] for r in days] == [FIRST_DAY + timedelta(n) for n in range(4)]
    for row in days:
        want = ref.overview(events, orders, both, row["day"], row["day"] + timedelta(1))
        assert {k: row[k] for k in ("page_views", "visitors", "visits", "orders", "sales")} == {
            k: want[k] for k in ("page_views", "visitors", "visits", "orders", "sales")
        }
    hours = stats.trend_by_hour(loaded, both, START, END)
    assert len(hours) == 48
    want = ref.by_hour(events, both, START, END)
    empty = {"page_views": 0, "visitors": 0, "visits": 0}
    for row in hours:
        assert {k: row[k] for k in empty} == want.get((row["day"], row["hour"]), empty)
    assert sum(r["orders"] for r in hours) == sum(r["orders"] for r in days[1:3])
    assert max(hours, key=lambda r: r["page_views"])["hour"] >= 18  # the evening peak


def test_items_and_the_unattended_ones(loaded, shops, events, orders):
    one = ids(shops)[:1]
    rows = stats.items(loaded, one, START, END)
    want = ref.items(events, orders, one, START, END)
    assert {r["item_id"]: {k: v for k, v in r.items() if k not in ("item_id", "title", "status")}
            for r in rows} == want  # fmt: skip
    assert [r["views"] for r in rows] == sorted((r["views"] for r in rows), reverse=True)
    assert rows[0]["title"].startswith("Item ")
    top = stats.items(loaded, one, START, END, order_by="orders", limit=3)
    assert [r["orders"] for r in top] == sorted((w["orders"] for w in want.values()), reverse=True)[
        :3
    ]
    unattended = stats.unattended_items(loaded, one, START, END)
    expected = {i for i in shops[0].on_sale if not want.get(i, {}).get("views")}
    assert {r["item_id"] for r in unattended} == expected and expected


def test_items_of_the_mall_per_shop(loaded, shops, events, orders):
    rows = stats.items(loaded, ids(shops), START, END, by_shop=True)
    for shop in ids(shops):
        want = ref.items(events, orders, [shop], START, END)
        found = {r["item_id"]: (r["views"], r["orders"]) for r in rows if r["shop_id"] == shop}
        assert found == {i: (w["views"], w["orders"]) for i, w in want.items()}


def test_pages_and_search_keywords(loaded, shops, events):
    both = ids(shops)
    chosen = ref.select(events, both, START, END)
    found = {(r["page"], r["page_id"]): r for r in stats.pages(loaded, both, START, END)}
    assert {
        k: {"views": r["views"], "visitors": r["visitors"]} for k, r in found.items()
    } == ref.counted(chosen, ref.page_of)
    assert ("shop_home", None) in found and ("shop_category", 3) in found
    keywords = stats.search_keywords(loaded, both, START, END, limit=None)
    searched = [e for e in chosen if e["page"]["search"]]
    assert {
        r["keyword"]: {"views": r["searches"], "visitors": r["visitors"]} for r in keywords
    } == ref.counted(searched, lambda e: e["page"]["search"])
    assert len(stats.search_keywords(loaded, both, START, END, limit=3)) == 3


def test_regions_by_city_and_province(loaded, shops, events):
    one = ids(shops)[:1]
    chosen = ref.select(events, one, START, END)
    city = lambda e: (e["region"]["country"], e["region"]["province"], e["region"]["city"])  # noqa: E731
    rows = stats.regions(loaded, one, START, END)
    assert {(r["country"], r["province"], r["city"]): {"views": r["page_views"], "visitors": r["visitors"]}
            for r in rows} == ref.counted(chosen, city)  # fmt: skip
    provinces = stats.regions(loaded, one, START, END, level="province")
    assert {(r["country"], r["province"]): r["visitors"] for r in provinces} == {
        k: v["visitors"] for k, v in ref.counted(chosen, lambda e: city(e)[:2]).items()
    }
    assert provinces[0]["province"] == "Guangdong"


def test_sources_take_the_first_page_view_of_each_visit(loaded, shops, events):
    both = ids(shops)
    rows = stats.sources(loaded, both, START, END)
    want = ref.sources(events, both, START, END)
    assert {(r["source"], r["source_name"], r["campaign"]): {"visits": r["visits"], "page_views": r["page_views"]}
            for r in rows} == want  # fmt: skip
    kinds = {
        r["source"]: r["visits"] for r in stats.sources(loaded, both, START, END, detail=False)
    }
    assert set(kinds) == {"direct", "search", "referral", "campaign"}
    assert sum(kinds.values()) == stats.overview(loaded, both, START, END)["current"]["visits"]


def test_visitors_online_and_in_the_last_minutes(loaded, shops, events):
    both = ids(shops)
    now = ref.moment(events[len(events) // 2]["received_at"]) + timedelta(seconds=1)
    found = stats.realtime(loaded, both, now)
    assert found["online"] == ref.online(events, both, now, 5) > 0
    for minutes in (15, 30, 60):
        assert found[f"last_{minutes}_minutes"] == ref.online(events, both, now, minutes)
    feed = stats.live_feed(loaded, both, now, limit=10)
    latest = sorted((e for e in ref.views(events) if ref.moment(e["received_at"]) <= now),
                    key=lambda e: (ref.moment(e["received_at"]), e["event_id"]), reverse=True)[:10]  # fmt: skip
    assert [(r["time"], r["page_path"]) for r in feed] == [
        (ref.moment(e["received_at"]), e["page"]["path"]) for e in latest
    ]
    assert stats.realtime(loaded, both, datetime(2025, 1, 1, tzinfo=now.tzinfo))["online"] == 0


def test_queries_refuse_bad_arguments(loaded, shops):
    with pytest.raises(ValueError, match="before it starts"):
        stats.overview(loaded, ids(shops), END, START)
    with pytest.raises(ValueError, match="UUID"):
        stats.overview(loaded, ["1' OR 1=1 --"], START, END)
    with pytest.raises(ValueError, match="at least one shop"):
        stats.overview(loaded, [], START, END)
