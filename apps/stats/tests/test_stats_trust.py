"""What a seller must be able to trust in the dashboard (issue 23, point 10): Hong Kong, Macau
and Taiwan colour the map with their districts listed under them, live times in the seller's
zone, categories by name, and one shop's own figures by default even inside a brand."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from emporium_stats import dashboard, store
from emporium_stats.provinces import map_name, region_of
from emporium_stats.web import seller_zone


@pytest.mark.parametrize(
    ("country", "province", "region"),
    [("HK", "Central and Western", ("Hong Kong", "香港", "Central and Western")),
     ("MO", "Ilhas", ("Macau", "澳门", "Ilhas")), ("TW", "Taipei City", ("Taiwan", "台湾", "Taipei City")),
     ("HK", "Hong Kong", ("Hong Kong", "香港", "")), ("CN", "Zhejiang", ("Zhejiang", "浙江", ""))],
)  # fmt: skip
def test_the_country_code_says_the_region_first(country, province, region):
    assert region_of(country, province) == region
    assert map_name(province, country) == region[1]


def row(country, province, city, visitors, views):
    return {"country": country, "province": province, "city": city, "visitors": visitors,
            "page_views": views}  # fmt: skip


def test_hong_kong_districts_add_up_into_one_region_on_the_map():
    rows = [row("CN", "Zhejiang", "", 5, 9), row("HK", "Central and Western", "", 3, 4),
            row("HK", "Wan Chai", "", 4, 6), row("MO", "Macau", "", 1, 1)]  # fmt: skip
    provinces = dashboard.province_rows(rows)
    assert [(r["province"], r["map_name"], r["visitors"], r["page_views"]) for r in provinces] == [
        ("Hong Kong", "香港", 7, 10), ("Zhejiang", "浙江", 5, 9), ("Macau", "澳门", 1, 1),
    ]  # fmt: skip


def test_the_city_table_lists_the_districts_under_their_region():
    rows = [row("HK", "Central and Western", "Central", 2, 2), row("HK", "Central and Western",
            "Sheung Wan", 1, 3), row("CN", "Zhejiang", "Hangzhou", 5, 9)]  # fmt: skip
    assert [(r["province"], r["city"], r["visitors"]) for r in dashboard.city_rows(rows)] == [
        ("Zhejiang", "Hangzhou", 5),
        ("Hong Kong", "Central and Western", 3),
    ]


def test_live_times_are_in_the_sellers_zone_not_iso_text():
    now = datetime(2026, 6, 1, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert dashboard.local_time(datetime(2026, 6, 1, 9, 3, 5, tzinfo=UTC), now) == "17:03:05"
    assert dashboard.local_time(datetime(2026, 5, 31, 15, 0, tzinfo=UTC), now) == "05-31 23:00:00"


def test_a_zone_the_platform_names_is_used_and_a_made_up_one_is_not():
    default = ZoneInfo("Asia/Shanghai")
    assert seller_zone("Europe/Berlin", default) == ZoneInfo("Europe/Berlin")
    assert seller_zone("Mars/Olympus", default) == default
    assert seller_zone("../../etc/passwd", default) == default
    assert seller_zone(None, default) == default


@pytest.fixture
def duck(make_store):
    return make_store("duckdb")


def test_category_rows_show_names_in_the_dashboards_language(duck):
    names = {
        "category": {"12": ["Dresses", "连衣裙"]},
        "shop_category": {"3": ["Summer", "Summer"]},
    }
    store.set_state(duck, "category_names:shop-1", json.dumps(names))
    rows = [{"page": "category", "page_id": 12, "views": 5, "visitors": 4},
            {"page": "shop_category", "page_id": 3, "views": 2, "visitors": 2},
            {"page": "category", "page_id": 99, "views": 1, "visitors": 1}]  # fmt: skip
    zh = dashboard.named_categories(duck, ["shop-1"], rows, "zh-hans")  # type: ignore[arg-type]
    en = dashboard.named_categories(duck, ["shop-1"], rows, "en")  # type: ignore[arg-type]
    assert [r["name"] for r in zh] == ["连衣裙", "Summer", "#99"]
    assert [r["name"] for r in en] == ["Dresses", "Summer", "#99"]
    assert list(zh[0])[0] == "name" and zh[0]["page_id"] == 12  # the CSV keeps the id


def test_one_shop_of_a_brand_sees_its_own_figures_unless_it_asks_for_the_brand(tmp_path):
    from emporium_stats.config import Config
    from emporium_stats.shops import Shop
    from emporium_stats.web import StatsApp, _query
    from starlette.requests import Request

    app = StatsApp(Config(client_id="c", client_secret="s", data_dir=tmp_path,
                          store_url="duckdb:///:memory:"))  # fmt: skip
    for shop_id in ("s1", "s2"):
        app.registry.save_shop(Shop(shop_id=shop_id, name=shop_id, plan="mall"))
    brand = app.registry.create_brand(Shop(shop_id="s1", name="s1"), "Mei")
    app.registry.join_brand(Shop(shop_id="s2", name="s2"), brand.code)

    def shops(query: str) -> list[str]:
        scope = {"type": "http", "query_string": query.encode(), "headers": []}
        return _query(Request(scope), app, "s1", ZoneInfo("Asia/Shanghai"))["shops"]

    assert shops("") == ["s1"]
    assert sorted(shops("shop=all")) == ["s1", "s2"]
    assert shops("shop=s2") == ["s2"]
    with pytest.raises(ValueError, match="not in your view"):
        shops("shop=somebody-else")
