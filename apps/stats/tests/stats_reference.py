"""The dashboard's figures computed again in plain Python from the delivered event dicts."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
ENGINES = {"baidu.com": "Baidu", "m.baidu.com": "Baidu", "sogou.com": "Sogou", "so.com": "360 Search",
           "m.sm.cn": "Shenma", "cn.bing.com": "Bing", "google.com": "Google"}  # fmt: skip


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def local_day(text: str) -> date:
    return moment(text).astimezone(TZ).date()


def select(events: list[dict], shops: list[str], start: date, end: date) -> list[dict]:
    return [
        e for e in events if e["shop_id"] in shops and start <= local_day(e["received_at"]) < end
    ]


def visit_key(e: dict) -> tuple:
    return (e["shop_id"], local_day(e["received_at"]), e["session_id"] or e["page_view_id"])


def daily_distinct(events: list[dict], key=lambda e: ()) -> dict:
    """Sum over (shop, day) of distinct visitors, per key."""
    seen = defaultdict(set)
    for e in events:
        seen[key(e), e["shop_id"], local_day(e["received_at"])].add(e["visitor_id"])
    totals: dict = defaultdict(int)
    for (k, _, _), visitors in seen.items():
        totals[k] += len(visitors)
    return totals


def views(events: list[dict]) -> list[dict]:
    return [e for e in events if e["name"] == "page_viewed"]


def paid(orders: list[tuple[str, dict]], shops: list[str], start: date, end: date) -> list[dict]:
    return [
        o for shop, o in orders
        if shop in shops and o["paid_at"] and start <= local_day(o["created_at"]) < end
    ]  # fmt: skip


def overview(events, orders, shops, start, end) -> dict:
    chosen = select(events, shops, start, end)
    visits: dict = defaultdict(lambda: {"pv": 0, "checkout": 0})
    for e in chosen:
        visits[visit_key(e)]["pv"] += e["name"] == "page_viewed"
        visits[visit_key(e)]["checkout"] += e["name"] == "checkout_completed"
    with_views = [v for v in visits.values() if v["pv"]]
    n = len(with_views)
    engaged = sum(e["engaged_ms"] for e in chosen if e["name"] == "engaged_time")
    bounces = sum(1 for v in with_views if v["pv"] == 1)
    converted = sum(1 for v in with_views if v["checkout"])
    sold = paid(orders, shops, start, end)
    return {
        "page_views": len(views(chosen)),
        "visitors": daily_distinct(views(chosen))[()],
        "visits": n,
        "bounces": bounces,
        "engaged_ms": engaged,
        "converted_visits": converted,
        "cart_adds": sum(1 for e in chosen if e["name"] == "added_to_cart"),
        "orders": len(sold),
        "sales": sum((Decimal(o["total_amount"]["amount"]) for o in sold), Decimal("0.00")),
        "avg_engaged_ms": engaged / n if n else 0.0,
        "bounce_rate": bounces / n if n else 0.0,
        "conversion_rate": converted / n if n else 0.0,
    }


def by_hour(events, shops, start, end) -> dict:
    pv = views(select(events, shops, start, end))
    hour = lambda e: moment(e["received_at"]).astimezone(TZ).hour  # noqa: E731
    out: dict = defaultdict(lambda: {"page_views": 0, "visitors": set(), "visits": set()})
    for e in pv:
        slot = out[local_day(e["received_at"]), hour(e)]
        slot["page_views"] += 1
        slot["visitors"].add((e["shop_id"], e["visitor_id"]))
        slot["visits"].add(visit_key(e))
    return {k: {"page_views": v["page_views"], "visitors": len(v["visitors"]),
                "visits": len(v["visits"])} for k, v in out.items()}  # fmt: skip


def items(events, orders, shops, start, end) -> dict:
    chosen = select(events, shops, start, end)
    out: dict = defaultdict(lambda: dict.fromkeys(("views", "cart_adds", "cart_units", "orders",
                                                  "units"), 0) | {"sales": Decimal("0.00")})  # fmt: skip
    item_views = [e for e in views(chosen) if e["page"]["item_id"]]
    for e in item_views:
        out[e["page"]["item_id"]]["views"] += 1
    for item, n in daily_distinct(item_views, lambda e: e["page"]["item_id"]).items():
        out[item]["visitors"] = n
    for e in chosen:
        if e["name"] == "added_to_cart":
            out[e["item_id"]]["cart_adds"] += 1
            out[e["item_id"]]["cart_units"] += e["quantity"]
    for o in paid(orders, shops, start, end):
        for item in {line["item_id"] for line in o["lines"]}:
            out[item]["orders"] += 1
        for line in o["lines"]:
            out[line["item_id"]]["units"] += line["quantity"]
            out[line["item_id"]]["sales"] += Decimal(line["total"]["amount"])
    for figures in out.values():
        figures.setdefault("visitors", 0)
        figures["conversion_rate"] = (
            figures["orders"] / figures["visitors"] if figures["visitors"] else 0.0
        )
    return dict(out)


def page_of(e: dict) -> tuple:
    p = e["page"]
    if p["type"] == "shop":
        if p["search"]:
            return ("shop_search", None)
        if p["shop_category_id"] is not None:
            return ("shop_category", p["shop_category_id"])
        return ("shop_home", None)
    if p["type"] == "category":
        return ("category", p["category_id"])
    return (p["type"], None)


def counted(events, key) -> dict:
    """Page views and daily visitors per key."""
    pv = views(events)
    out: dict = defaultdict(lambda: {"views": 0})
    for e in pv:
        out[key(e)]["views"] += 1
    for k, n in daily_distinct(pv, key).items():
        out[k]["visitors"] = n
    return dict(out)


def source_of(e: dict) -> tuple:
    utm = e["utm"] or {}
    if utm.get("source") or utm.get("campaign"):
        return ("campaign", utm.get("source") or "", utm.get("campaign") or "")
    if not e["referrer"]:
        return ("direct", "", "")
    host = urlparse(e["referrer"]).hostname.removeprefix("www.")
    if host in ENGINES:
        return ("search", ENGINES[host], "")
    return ("referral", host, "")


def sources(events, shops, start, end) -> dict:
    first: dict = {}
    pages: dict = defaultdict(int)
    for e in views(select(events, shops, start, end)):
        k = visit_key(e)
        pages[k] += 1
        order = (moment(e["received_at"]), e["event_id"])
        if k not in first or order < first[k][0]:
            first[k] = (order, e)
    out: dict = defaultdict(lambda: {"visits": 0, "page_views": 0})
    for k, (_, e) in first.items():
        out[source_of(e)]["visits"] += 1
        out[source_of(e)]["page_views"] += pages[k]
    return dict(out)


def online(events, shops, now: datetime, minutes: int) -> int:
    since = now - timedelta(minutes=minutes)
    return len({e["visitor_id"] for e in events
                if e["shop_id"] in shops and since < moment(e["received_at"]) <= now})  # fmt: skip
