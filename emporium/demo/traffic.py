"""Demo storefront traffic: realistic visits run through the real customer-events collector.

A daily curve with an evening peak, Zipf-like item popularity (so some items are never looked
at), visitors from many provinces, bounces and long stays, search engines, other sites and
campaigns. `seed_traffic` writes the past days (the collector under a set clock, as a request
at that moment would have); `drive_live` posts to a running server's /collect, as browsers do.
"""

import ipaddress
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from emporium.catalog.models import Item
from emporium.customer_events import visitors
from emporium.customer_events.collect import collect
from emporium.lib import clock
from emporium.shops.models import Shop
from emporium.trade.models import Order

LOCAL = ZoneInfo("Asia/Shanghai")
# Share of a day's visits in each local hour: quiet nights, a lunch bump, an evening peak.
HOURLY = [1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.2, 3.6, 3.8, 4.2, 3.9, 3.6, 3.6, 3.7,
          3.9, 4.3, 5.2, 6.4, 7.0, 6.0, 3.4]  # fmt: skip
SEARCH = ["https://www.baidu.com/s", "https://www.sogou.com/web", "https://cn.bing.com/search",
          "https://www.so.com/s"]  # fmt: skip
SITES = ["https://weibo.com/", "https://www.zhihu.com/question/1", "https://www.xiaohongshu.com/explore",
         "https://www.douban.com/group/"]  # fmt: skip
CAMPAIGNS = [{"source": "newsletter", "medium": "email", "campaign": "double11"},
             {"source": "wechat", "medium": "social", "campaign": "spring-new"},
             {"source": "douyin", "medium": "video", "campaign": "live-sale"}]  # fmt: skip
KEYWORDS = ["linen dress", "连衣裙", "wool coat", "sale", "gift", "new", "black", "summer"]
AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",  # noqa: E501
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",  # noqa: E501
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",  # noqa: E501
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",  # noqa: E501
]


def chinese_addresses(rng: random.Random, wanted: int = 400) -> list[str]:
    """Public IPv4 addresses the GeoIP database places in China, spread over provinces."""
    found: dict[str, list[str]] = {}
    tries = 0
    while sum(len(v) for v in found.values()) < wanted and tries < 200_000:
        tries += 1
        ip = str(ipaddress.IPv4Address(rng.getrandbits(32)))
        if not ipaddress.IPv4Address(ip).is_global:
            continue
        region = visitors.region_of(ip)
        if (
            region.country == "CN"
            and region.province
            and len(found.setdefault(region.province, [])) < 25
        ):
            found[region.province].append(ip)
    addresses = [ip for ips in found.values() for ip in ips]
    return addresses or ["203.0.113.7"]  # no GeoIP database: one address, no region


@dataclass
class ShopTraffic:
    shop: Shop
    items: list[Item]  # most popular first
    orders: list[Order]  # orders a visit may complete (each once)
    visits_per_day: int


def shops_for_traffic(
    shops: list[Shop], rng: random.Random, visits_per_day: int
) -> list[ShopTraffic]:
    plans = []
    for n, shop in enumerate(shops):
        items = list(Item.objects.filter(shop=shop, status=Item.Status.ON_SALE).order_by("id"))
        rng.shuffle(items)
        orders = list(Order.objects.filter(shop=shop).order_by("created_at"))
        plans.append(ShopTraffic(shop, items, orders, max(20, visits_per_day // (n + 1))))
    return plans


def _zipf_pick(rng: random.Random, items: list[Item]) -> Item:
    # Rank r is chosen with weight 1/r^1.1, but only among the first 80%: the tail is never
    # visited, which is what the dashboard's "unattended items" shows.
    reachable = items[: max(1, int(len(items) * 0.8))]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(reachable))]
    return rng.choices(reachable, weights)[0]


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def visit(rng: random.Random, plan: ShopTraffic) -> list[tuple[float, list[dict]]]:
    """One visit, page by page: (seconds after the visit began, the events collect.js sends)."""
    shop = plan.shop
    session = _token(rng)
    roll = rng.random()
    referrer, utm = None, None
    if roll < 0.25:
        referrer = rng.choice(SEARCH)
    elif roll < 0.4:
        referrer = rng.choice(SITES)
    elif roll < 0.55:
        utm = rng.choice(CAMPAIGNS)
    count = 1 if rng.random() < 0.4 else min(12, 1 + int(rng.expovariate(1 / 3)))
    pages, offset = [], 0.0
    for n in range(count):
        page = _page(rng, plan, first=n == 0)
        view = _token(rng)
        base = {"page_view_id": view, "session_id": session, "page": page}
        viewed = {"type": "page_viewed", **base,
                  "referrer": referrer if n == 0 else f"http://127.0.0.1:8000/shop/{shop.slug}/",
                  "utm": utm if n == 0 else None}  # fmt: skip
        # Bounces are short looks; pages of longer visits hold attention longer (log-normal).
        stay = rng.lognormvariate(3.0, 1.0) if count > 1 else rng.lognormvariate(2.0, 0.8)
        stay = max(0.5, min(stay, 3600.0))
        events = [viewed, *_actions(rng, plan, base, page)]
        events.append({"type": "engaged_time", **base, "engaged_ms": int(stay * 1000)})
        pages.append((offset, events))
        offset += stay + rng.uniform(0.5, 3)
    return pages


def _actions(rng: random.Random, plan: ShopTraffic, base: dict, page: dict) -> list[dict]:
    """What a visitor does on an item page besides looking: add to cart, sometimes buy."""
    if page["type"] != "item" or rng.random() >= 0.12:
        return []
    item = next(i for i in plan.items if str(i.public_id) == page["item_id"])
    sku = item.skus.first()
    if sku is None:  # every seeded item has SKUs; a hand-made one might not
        return []
    events = [{"type": "added_to_cart", **base, "item_id": page["item_id"],
               "sku_id": sku.pk, "quantity": rng.choice([1, 1, 1, 2])}]  # fmt: skip
    if plan.orders and rng.random() < 0.35:
        order = plan.orders.pop()
        events.append({"type": "checkout_completed", **base,
                       "page": {"type": "other", "path": "/orders/pay/"},
                       "order_id": str(order.public_id), "total": f"{order.total_amount:.2f}",
                       "currency": "CNY"})  # fmt: skip
    return events


def _page(rng: random.Random, plan: ShopTraffic, first: bool) -> dict:
    shop, roll = plan.shop, rng.random()
    if roll < (0.3 if first else 0.15) or not plan.items:
        return {"type": "shop", "path": f"/shop/{shop.slug}/", "shop_id": str(shop.public_id)}
    if roll < 0.4:
        return {"type": "shop", "path": f"/shop/{shop.slug}/", "shop_id": str(shop.public_id),
                "search": rng.choice(KEYWORDS)}  # fmt: skip
    item = _zipf_pick(rng, plan.items)
    return {"type": "item", "path": f"/item/{item.public_id}/", "item_id": str(item.public_id),
            "category_id": item.category_id}  # fmt: skip


def moments(
    rng: random.Random, day_start: datetime, count: int, until: datetime
) -> Iterator[datetime]:
    """`count` visit start times over one local day, following the hourly curve."""
    total = sum(HOURLY)
    for hour, share in enumerate(HOURLY):
        for _ in range(round(count * share / total)):
            at = day_start + timedelta(hours=hour, seconds=rng.uniform(0, 3600))
            if at < until:
                yield at


def seed_traffic(shops: list[Shop], *, days: int = 7, visits_per_day: int = 300, seed: int = 7,
                 progress: Callable[[str], None] = print) -> int:  # fmt: skip
    """Run `days` days of visits (up to now) through the collector; returns events accepted."""
    rng = random.Random(seed)
    addresses = chinese_addresses(rng)
    plans = shops_for_traffic(shops, rng, visits_per_day)
    now = clock.now()
    today = now.astimezone(LOCAL).replace(hour=0, minute=0, second=0, microsecond=0)
    accepted = 0
    real_clock = clock.frozen_at()
    try:
        for back in range(days - 1, -1, -1):
            day = today - timedelta(days=back)
            weekend = 1.3 if day.weekday() >= 5 else 1.0
            batch = []
            for plan in plans:
                count = int(plan.visits_per_day * weekend * rng.uniform(0.85, 1.15))
                for at in moments(rng, day, count, until=now):
                    batch.append((at, plan))
            batch.sort(key=lambda pair: pair[0])
            for at, plan in batch:
                ip, agent = rng.choice(addresses), rng.choice(AGENTS)
                for offset, events in visit(rng, plan):
                    clock.set_time(min(at + timedelta(seconds=offset), now))
                    accepted += collect(events, ip=ip, user_agent=agent).accepted
            progress(f"demo traffic: {day:%Y-%m-%d} — {len(batch)} visits")
    finally:
        clock.set_time(real_clock)
    return accepted


def drive_live(base_url: str, shops: list[Shop], *, visits_per_minute: float = 20,
               stop=None, seed: int | None = None, forwarded: bool = True) -> None:  # fmt: skip
    """Post visits to a running server's /collect until `stop` is set. The demo server trusts
    loopback as its proxy (TRUSTED_PROXIES), so X-Forwarded-For gives each visit its region."""
    import json

    import httpx

    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    addresses = chinese_addresses(rng, wanted=200)
    plans = shops_for_traffic(shops, rng, 100)
    with httpx.Client(base_url=base_url, timeout=10) as http:
        while stop is None or not stop.is_set():
            plan = rng.choice(plans)
            headers = {
                "content-type": "text/plain",
                "user-agent": rng.choice(AGENTS),
                "origin": base_url.rstrip("/"),
            }  # as a browser on our page sends it
            if forwarded:
                headers["x-forwarded-for"] = rng.choice(addresses)
            # A visit's pages go one after the other, a little faster than life.
            for _offset, events in visit(rng, plan):
                try:
                    http.post("/collect", content=json.dumps({"events": events}), headers=headers)
                except httpx.HTTPError:
                    break
                if stop is not None and stop.wait(rng.uniform(0.3, 1.5)):
                    return
            pause = rng.expovariate(visits_per_minute / 60)
            if stop is not None:
                stop.wait(min(pause, 30))
            else:
                time.sleep(min(pause, 30))
