"""The dashboard's views and CSV tables, built from the store's queries (one place per figure)."""

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypedDict, get_args

from emporium_stats import store as q
from emporium_stats.provinces import region_of
from emporium_stats.store import Store
from emporium_stats.store.engines import Row

VIEWS = ("overview", "realtime", "items", "pages", "regions", "sources", "trends")
Kpi = Literal["page_views", "visitors", "visits", "avg_engaged_seconds", "bounce_rate", "orders",
              "sales", "conversion_rate"]  # fmt: skip
KPIS: tuple[Kpi, ...] = get_args(Kpi)


# What the store's queries give (a row per figure) and what a view sends the browser as JSON.
Figures = Row
View = dict[str, Any]
# A view or a table from (store, shops, start, end, now).
Builder = Callable[[Store, list[str], date, date, datetime], View]
TableBuilder = Callable[[Store, list[str], date, date, datetime], list[Any]]


class Headline(TypedDict):
    page_views: int
    visitors: int
    visits: int
    avg_engaged_seconds: float
    bounce_rate: float  # percent
    orders: int
    sales: Decimal
    conversion_rate: float  # percent


class ItemRow(TypedDict):
    title: str
    views: int
    visitors: int
    add_to_carts: int
    orders: int
    units: int
    sales: Decimal
    conversion: float  # percent


class UnattendedRow(TypedDict):
    title: str
    price: Decimal


class LiveRow(TypedDict):
    time: str  # in the seller's zone: "17:03:05", or "05-31 23:59:10" before today
    page: str
    item: str
    region: str


class PageRow(TypedDict):
    page: str
    page_id: str
    views: int
    visitors: int


class KeywordRow(TypedDict):
    keyword: str
    count: int


class ProvinceRow(TypedDict):
    province: str
    map_name: str
    visitors: int
    page_views: int


class CityRow(TypedDict):
    province: str
    city: str
    visitors: int
    page_views: int


class SourceRow(TypedDict, total=False):
    source: str
    name: str  # with detail only
    campaign: str  # with detail only
    visits: int
    page_views: int


class HourRow(TypedDict):
    bucket: str
    page_views: int
    visitors: int
    visits: int
    orders: int


class DayRow(TypedDict):
    bucket: date
    page_views: int
    visitors: int
    visits: int
    orders: int
    sales: Decimal


def _plain(value: object) -> Any:
    """JSON-ready: decimals as strings of two places, dates and times as ISO text."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return sorted(value)
    return value


def _headline(figures: Figures) -> Headline:
    return {
        "page_views": figures["page_views"],
        "visitors": figures["visitors"],
        "visits": figures["visits"],
        "avg_engaged_seconds": round(figures["avg_engaged_ms"] / 1000, 1),
        "bounce_rate": round(figures["bounce_rate"] * 100, 1),
        "orders": figures["orders"],
        "sales": figures["sales"],
        "conversion_rate": round(figures["conversion_rate"] * 100, 2),
    }


def _change(current: Headline, previous: Headline) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in KPIS:
        now, before = float(current[key]), float(previous[key])
        out[key] = None if before == 0 else round((now - before) / before * 100, 1)
    return out


def _overview(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    found = q.overview(store, shops, start, end)
    current, previous = _headline(found["current"]), _headline(found["previous"])
    return {
        "current": current,
        "previous": previous,
        "change": _change(current, previous),
        "previous_range": [found["previous_start"], found["previous_end"]],
        "per_shop": [{"shop_id": s["shop_id"], **_headline(s)} for s in found["shops"]],
        "daily": [{"bucket": r["day"], **r} for r in q.trend_by_day(store, shops, start, end)],
    }


def _realtime(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    counts = q.realtime(store, shops, now)
    return {
        "counts": {
            "online_now": counts["online"],
            "last_15": counts["last_15_minutes"],
            "last_30": counts["last_30_minutes"],
            "last_60": counts["last_60_minutes"],
        },
        "feed": _live_feed(store, shops, now),
    }


def local_time(moment: datetime, now: datetime) -> str:
    """A stored UTC moment as the seller reads it, in the zone of `now` (the request's clock)."""
    here = moment.astimezone(now.tzinfo)
    return here.strftime("%H:%M:%S" if here.date() == now.date() else "%m-%d %H:%M:%S")


def _live_feed(store: Store, shops: list[str], now: datetime) -> list[LiveRow]:
    return [
        {
            "time": local_time(r["time"], now),
            "page": r["page_type"],
            "item": r["title"] or r["page_path"],
            "region": " ".join(p for p in (r["province"], r["city"]) if p),
        }  # fmt: skip
        for r in q.live_feed(store, shops, now)
    ]


def _item_rows(store: Store, shops: list[str], start: date, end: date) -> list[ItemRow]:
    return [
        {
            "title": r.get("title") or r["item_id"],
            "views": r["views"],
            "visitors": r["visitors"],
            "add_to_carts": r["cart_adds"],
            "orders": r["orders"],
            "units": r["units"],
            "sales": r["sales"],
            "conversion": round(r["conversion_rate"] * 100, 2),
        }  # fmt: skip
        for r in q.items(store, shops, start, end)
    ]


def _unattended(store: Store, shops: list[str], start: date, end: date) -> list[UnattendedRow]:
    return [
        {"title": r["title"], "price": r["price"]}
        for r in q.unattended_items(store, shops, start, end)
    ]


def _items(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    rows = _item_rows(store, shops, start, end)
    return {
        "items": rows,
        "most_viewed": rows[:10],
        "unattended": _unattended(store, shops, start, end),
    }


def _page_rows(store: Store, shops: list[str], start: date, end: date) -> list[PageRow]:
    return [
        {"page": r["page"], "page_id": r["page_id"], "views": r["views"], "visitors": r["visitors"]}
        for r in q.pages(store, shops, start, end)
    ]


def _keywords(store: Store, shops: list[str], start: date, end: date) -> list[KeywordRow]:
    return [
        {"keyword": r["keyword"], "count": r["searches"] if "searches" in r else r.get("count", 0)}
        for r in q.search_keywords(store, shops, start, end, limit=50)
    ]


def named_categories(store: Store, shops: list[str], rows: list[PageRow], lang: str) -> list[Any]:
    """Category rows with the category's name in the dashboard's language (the id when the
    app has not learnt the name yet), name first; the id stays for the CSV."""
    names: dict[str, dict[str, list[str]]] = {"category": {}, "shop_category": {}}
    for shop in shops:
        saved = q.get_state(store, f"category_names:{shop}")
        for kind, found in (json.loads(saved) if saved else {}).items():
            names.setdefault(kind, {}).update(found)
    which = 1 if lang == "zh-hans" else 0
    out = []
    for row in rows:
        both = names.get(row["page"], {}).get(str(row["page_id"]))
        out.append({"name": both[which] if both else f"#{row['page_id']}", **row})
    return out


def _pages(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    rows = _page_rows(store, shops, start, end)
    home = sum(r["views"] for r in rows if r["page"] == "shop_home")
    categories = [r for r in rows if r["page"] in ("shop_category", "category")]
    return {
        "shop_home": home,
        "categories": categories,
        "keywords": _keywords(store, shops, start, end),
    }


def province_rows(rows: list[Row]) -> list[ProvinceRow]:
    """One row per region of the map: Hong Kong's, Macau's and Taiwan's districts (DB-IP's
    "province" there) add up into their region, which is what colours the map."""
    merged: dict[str, ProvinceRow] = {}
    for r in rows:
        label, on_map, _district = region_of(r.get("country"), r["province"])
        row = merged.setdefault(
            label or "?",
            {"province": label or "?", "map_name": on_map, "visitors": 0, "page_views": 0},
        )
        row["visitors"] += r["visitors"]
        row["page_views"] += r["page_views"]
    return sorted(merged.values(), key=lambda r: (-r["visitors"], -r["page_views"], r["province"]))


def city_rows(rows: list[Row]) -> list[CityRow]:
    """Cities under their province; in Hong Kong, Macau and Taiwan the districts under the
    region (their cities added up into the district)."""
    merged: dict[tuple[str, str], CityRow] = {}
    for r in rows:
        label, _on_map, district = region_of(r.get("country"), r["province"])
        place = district or r["city"] or "?"
        row = merged.setdefault(
            (label or "?", place),
            {"province": label or "?", "city": place, "visitors": 0, "page_views": 0},
        )
        row["visitors"] += r["visitors"]
        row["page_views"] += r["page_views"]
    return sorted(merged.values(), key=lambda r: (-r["visitors"], -r["page_views"], r["city"]))


def _province_rows(store: Store, shops: list[str], start: date, end: date) -> list[ProvinceRow]:
    return province_rows(q.regions(store, shops, start, end, level="province"))


def _city_rows(store: Store, shops: list[str], start: date, end: date) -> list[CityRow]:
    return city_rows(q.regions(store, shops, start, end, level="city", limit=200))


def _regions(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    return {"provinces": _province_rows(store, shops, start, end),
            "cities": _city_rows(store, shops, start, end)}  # fmt: skip


def _source_rows(
    store: Store, shops: list[str], start: date, end: date, detail: bool
) -> list[SourceRow]:
    return [
        {
            "source": r["source"],
            **({"name": r["source_name"], "campaign": r["campaign"]} if detail else {}),
            "visits": r["visits"],
            "page_views": r["page_views"],
        }  # fmt: skip
        for r in q.sources(store, shops, start, end, detail=detail)
    ]


def _sources(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    detail = _source_rows(store, shops, start, end, detail=True)
    return {
        "sources": _source_rows(store, shops, start, end, detail=False),
        "referrers": [r for r in detail if r["source"] in ("search", "referral")],
        "campaigns": [r for r in detail if r["source"] == "campaign"],
    }


def _hourly(store: Store, shops: list[str], start: date, end: date) -> list[HourRow]:
    return [
        {
            "bucket": r["time"].strftime("%m-%d %H:00"),
            "page_views": r["page_views"],
            "visitors": r["visitors"],
            "visits": r["visits"],
            "orders": r["orders"],
        }  # fmt: skip
        for r in q.trend_by_hour(store, shops, start, end)
    ]


def _daily(store: Store, shops: list[str], start: date, end: date) -> list[DayRow]:
    return [
        {
            "bucket": r["day"],
            "page_views": r["page_views"],
            "visitors": r["visitors"],
            "visits": r["visits"],
            "orders": r["orders"],
            "sales": r["sales"],
        }  # fmt: skip
        for r in q.trend_by_day(store, shops, start, end)
    ]


def _trends(store: Store, shops: list[str], start: date, end: date, now: datetime) -> View:
    return {"hourly": _hourly(store, shops, start, end), "daily": _daily(store, shops, start, end)}


BUILDERS: dict[str, Builder] = {
    "overview": _overview, "realtime": _realtime, "items": _items, "pages": _pages,
    "regions": _regions, "sources": _sources, "trends": _trends,
}  # fmt: skip
# Every table the dashboard shows, for its CSV link.
TABLES: dict[str, TableBuilder] = {
    "items": lambda s, sh, a, b, now: _item_rows(s, sh, a, b),
    "most_viewed": lambda s, sh, a, b, now: _item_rows(s, sh, a, b)[:10],
    "unattended": lambda s, sh, a, b, now: _unattended(s, sh, a, b),
    "categories": lambda s, sh, a, b, now: _pages(s, sh, a, b, now)["categories"],
    "keywords": lambda s, sh, a, b, now: _keywords(s, sh, a, b),
    "provinces": lambda s, sh, a, b, now: _province_rows(s, sh, a, b),
    "cities": lambda s, sh, a, b, now: _city_rows(s, sh, a, b),
    "sources": lambda s, sh, a, b, now: _source_rows(s, sh, a, b, detail=False),
    "referrers": lambda s, sh, a, b, now: _sources(s, sh, a, b, now)["referrers"],
    "campaigns": lambda s, sh, a, b, now: _sources(s, sh, a, b, now)["campaigns"],
    "hourly": lambda s, sh, a, b, now: _hourly(s, sh, a, b),
    "daily": lambda s, sh, a, b, now: _daily(s, sh, a, b),
    "live_feed": lambda s, sh, a, b, now: _live_feed(s, sh, now),
}


def view(
    store: Store, name: str, *, shops: list[str], start: date, end: date, now: datetime,
    tz: str | None = None, lang: str = "en",
) -> dict[str, Any]:  # fmt: skip
    """A view's figures, JSON-ready."""
    built = BUILDERS[name](store, shops, start, end, now)
    if name == "pages":
        built["categories"] = named_categories(store, shops, built["categories"], lang)
    plain: dict[str, Any] = _plain(built)
    return plain


def table(
    store: Store, name: str, *, shops: list[str], start: date, end: date, now: datetime,
    tz: str | None = None, lang: str = "en",
) -> list[dict[str, Any]] | None:  # fmt: skip
    """A table's rows, JSON-ready (None: no table has that name)."""
    builder = TABLES.get(name)
    if builder is None:
        return None
    built = builder(store, shops, start, end, now)
    if name == "categories":
        built = named_categories(store, shops, built, lang)
    rows: list[dict[str, Any]] = _plain(built)
    return rows
