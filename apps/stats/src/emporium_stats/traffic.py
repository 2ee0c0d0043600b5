"""Synthetic shoppers: visits as sequences of page actions, and the customer events the collector would deliver.

Deterministic for a seed. `visits()` is the model (the lead's HTTP mode can replay its actions
against a real storefront); `delivered_events()` turns visits into delivered-event dicts for the
tests and the benchmark; `orders_for()` and `items_for()` give what the Open API would return.
"""

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

JsonObject = dict[str, Any]  # an event or an order as the platform sends it

TZ = ZoneInfo("Asia/Shanghai")
# Share of a day's visits starting in each local hour: quiet at night, a lunch bump, an evening peak.
HOUR_WEIGHTS = (2.0, 1.2, 0.8, 0.5, 0.4, 0.5, 1.0, 2.0, 3.5, 4.5, 5.0, 5.5,
                6.0, 5.0, 4.8, 4.8, 5.0, 5.5, 6.0, 7.5, 9.0, 10.0, 8.5, 4.5)  # fmt: skip
# (province, cities, weight): where China's online shoppers are, roughly.
REGIONS = (
    ("Guangdong", ("Guangzhou", "Shenzhen", "Dongguan", "Foshan"), 14),
    ("Zhejiang", ("Hangzhou", "Ningbo", "Wenzhou"), 10),
    ("Jiangsu", ("Nanjing", "Suzhou", "Wuxi"), 9),
    ("Shanghai", ("Shanghai",), 7),
    ("Beijing", ("Beijing",), 6),
    ("Shandong", ("Jinan", "Qingdao"), 6),
    ("Sichuan", ("Chengdu", "Mianyang"), 5),
    ("Fujian", ("Fuzhou", "Xiamen"), 4),
    ("Hubei", ("Wuhan",), 4),
    ("Henan", ("Zhengzhou", "Luoyang"), 4),
    ("Hunan", ("Changsha",), 3),
    ("Shaanxi", ("Xi'an",), 2),
    ("Liaoning", ("Shenyang", "Dalian"), 2),
    ("Chongqing", ("Chongqing",), 2),
    ("Yunnan", ("Kunming",), 1),
)
FOREIGN = (("US", "California", "Los Angeles"), ("SG", "", "Singapore"), ("JP", "Tokyo", "Tokyo"))
SEARCH_REFERRERS = ("https://www.baidu.com/s", "https://www.baidu.com/link", "https://m.baidu.com/s",
                    "https://www.sogou.com/web", "https://www.so.com/s", "https://m.sm.cn/s",
                    "https://cn.bing.com/search", "https://www.google.com/")  # fmt: skip
OTHER_REFERRERS = ("https://weibo.com/", "https://www.xiaohongshu.com/explore",
                   "https://www.zhihu.com/question/1", "https://www.douban.com/group/",
                   "https://emporium.example/search/")  # fmt: skip
CAMPAIGNS = (("newsletter", "spring_sale"), ("wechat", "new_arrivals"), ("weibo_ad", "double11"),
             ("newsletter", "new_arrivals"))  # fmt: skip
KEYWORDS = ("连衣裙", "linen dress", "t恤", "jeans", "羽绒服", "sneakers", "卫衣", "silk scarf",
            "summer", "童装")  # fmt: skip
SOURCE_MIX = (("direct", 35), ("search", 30), ("referral", 15), ("campaign", 20))


@dataclass(frozen=True)
class ShopModel:
    shop_id: str
    slug: str
    item_ids: tuple[str, ...]  # most popular first (Zipf rank)
    categories: dict[str, int]  # item → platform category
    prices: dict[str, Decimal]
    on_sale: frozenset[str]
    shop_categories: tuple[int, ...]


@dataclass
class PageAction:
    """One page shown: what the browser reports about it, and what the visitor did there."""

    at: datetime
    page: dict[str, Any]
    referrer: str | None
    utm: dict[str, str] | None
    engaged_ms: list[int] = field(default_factory=list)  # each report, as collect.js sends them
    cart: tuple[str, int, int] | None = None  # item, sku, quantity
    order: dict[str, Any] | None = None  # checkout_completed on this page (the pay page)


@dataclass
class Visit:
    shop_id: str
    person: int
    session_id: str | None
    region: dict[str, str]
    actions: list[PageAction]


def _uuid(rng: random.Random) -> str:
    return str(UUID(int=rng.getrandbits(128), version=4))


def _hex(rng: random.Random, chars: int) -> str:
    return f"{rng.getrandbits(chars * 4):0{chars}x}"


def make_shop(seed: int, items: int = 120) -> ShopModel:
    rng = random.Random(f"shop-{seed}")  # noqa: S311 — synthetic data, not secrets
    ids = tuple(_uuid(rng) for _ in range(items))
    return ShopModel(
        shop_id=_uuid(rng),
        slug=f"shop-{seed}",
        item_ids=ids,
        categories={i: rng.choice((11, 12, 13, 21, 22)) for i in ids},
        prices={i: Decimal(rng.randrange(1900, 99900)) / 100 for i in ids},
        on_sale=frozenset(i for i in ids if rng.random() < 0.9),
        shop_categories=(1, 2, 3, 4, 5),
    )


def items_for(shop: ShopModel) -> list[dict[str, Any]]:
    """The shop's items as GET /api/v1/items lists them (the fields the store reads)."""
    return [
        {
            "id": i,
            "title": f"Item {n + 1} of {shop.slug}",
            "status": "on_sale" if i in shop.on_sale else "stock_room",
            "price": {"amount": str(shop.prices[i]), "currency": "CNY"},
        }
        for n, i in enumerate(shop.item_ids)
    ]


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


class _Model:
    def __init__(self, shop: ShopModel, rng: random.Random) -> None:
        self.shop, self.rng = shop, rng
        self.item_weights = _zipf_weights(len(shop.item_ids))

    def region(self, person: int) -> dict[str, str]:
        # A person keeps one network, hence one region (the visitor id is a hash of the IP).
        r = random.Random(f"{self.shop.shop_id}-{person}")  # noqa: S311
        roll = r.random()
        if roll < 0.05:
            return {"country": "", "province": "", "city": ""}
        if roll < 0.08:
            country, province, city = r.choice(FOREIGN)
            return {"country": country, "province": province, "city": city}
        province, cities, _ = r.choices(REGIONS, weights=[w for *_, w in REGIONS])[0]
        return {"country": "CN", "province": province, "city": r.choice(cities)}

    def page(self, kind: str) -> dict[str, Any]:
        shop, rng = self.shop, self.rng
        page: dict[str, Any] = {"type": kind, "path": "/", "item_id": None, "category_id": None,
                                "shop_category_id": None, "search": None}  # fmt: skip
        if kind == "item":
            item = rng.choices(shop.item_ids, weights=self.item_weights)[0]
            page.update(path=f"/item/{item}/", item_id=item, category_id=shop.categories[item])
        elif kind in ("shop_home", "shop_category", "shop_search"):
            page.update(type="shop", path=f"/shop/{shop.slug}/")
            if kind == "shop_category":
                page["shop_category_id"] = rng.choice(shop.shop_categories)
            if kind == "shop_search":
                page["search"] = rng.choices(KEYWORDS, weights=_zipf_weights(len(KEYWORDS)))[0]
        else:
            page["path"] = f"/{kind}/"
        return page

    def entry(self) -> tuple[str | None, dict[str, str] | None]:
        rng = self.rng
        kind = rng.choices([k for k, _ in SOURCE_MIX], weights=[w for _, w in SOURCE_MIX])[0]
        if kind == "search":
            return rng.choice(SEARCH_REFERRERS), None
        if kind == "referral":
            return rng.choice(OTHER_REFERRERS), None
        if kind == "campaign":
            source, campaign = rng.choice(CAMPAIGNS)
            referrer = rng.choice(OTHER_REFERRERS) if rng.random() < 0.3 else None
            return referrer, {"source": source, "medium": "social", "campaign": campaign}
        return None, None

    def engaged(self) -> list[int]:
        rng = self.rng
        if rng.random() < 0.05:
            return []  # the tab was killed before it could report
        total = int(rng.lognormvariate(9.9, 0.9))  # median ≈ 20 s
        if rng.random() < 0.08:
            total += rng.randrange(120_000, 600_000)  # a long stay
        total = max(total, 1)
        if total > 2 and rng.random() < 0.15:  # hidden and shown again: two reports
            first = rng.randrange(1, total)
            return [first, total - first]
        return [total]

    def visit(self, person: int, start: datetime) -> Visit:
        rng, shop = self.rng, self.shop
        session = _hex(rng, 24) if rng.random() > 0.03 else None
        pages = 1 if rng.random() < 0.4 else min(2 + int(rng.expovariate(0.35)), 15)
        kinds = ["item", "shop_home", "shop_category", "shop_search", "cart"]
        referrer, utm = self.entry()
        at, actions, cart = start, [], []
        for n in range(pages):
            weights = (60, 20, 12, 8, 0) if n == 0 else (65, 10, 15, 5, 5)
            action = PageAction(
                at, self.page(rng.choices(kinds, weights=weights)[0]), referrer, utm
            )
            action.engaged_ms = self.engaged()
            item = action.page["item_id"]
            if item and rng.random() < 0.10:
                sku = int(UUID(item)) % 100_000
                action.cart = (item, sku, rng.choice((1, 1, 1, 2, 3)))
                cart.append(action.cart)
            actions.append(action)
            referrer, utm = f"https://emporium.example{action.page['path']}", None
            at += timedelta(milliseconds=sum(action.engaged_ms) + rng.randrange(500, 8000))
        if cart and rng.random() < 0.35:
            actions.append(PageAction(at, self.page("checkout"), referrer, None, self.engaged()))
            at += timedelta(seconds=rng.randrange(20, 120))
            order = self.order(cart, at)
            pay = self.page("other") | {"path": f"/orders/{order['id']}/pay/"}
            actions.append(PageAction(at, pay, "https://emporium.example/checkout/", None,
                                      self.engaged(), order=order))  # fmt: skip
        return Visit(shop.shop_id, person, session, self.region(person), actions)

    def order(self, cart: list[tuple[str, int, int]], at: datetime) -> dict[str, Any]:
        rng, shop = self.rng, self.shop
        lines = [
            {"item_id": item, "sku_id": sku, "quantity": qty,
             "total": {"amount": str(shop.prices[item] * qty), "currency": "CNY"}}
            for item, sku, qty in cart
        ]  # fmt: skip
        total = sum((shop.prices[item] * qty for item, _, qty in cart), Decimal("0.00"))
        created = at - timedelta(seconds=1)
        paid = rng.random() < 0.8
        return {
            "id": _uuid(rng),
            "number": f"E{rng.randrange(10**11, 10**12)}",
            "status": "paid" if paid else "pending_payment",
            "lines": lines,
            "total_amount": {"amount": f"{total:.2f}", "currency": "CNY"},
            "created_at": _iso(created),
            "paid_at": _iso(created + timedelta(seconds=rng.randrange(10, 300))) if paid else None,
        }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def visits(
    shops: list[ShopModel], first_day: date, days: int, visits_per_day: int, seed: int
) -> Iterator[Visit]:
    """Visits of each shop over `days` local days from `first_day`, in order of their start.

    The first shop gets `visits_per_day` (± day-to-day noise), each next shop half the one before.
    """
    rng = random.Random(seed)  # noqa: S311
    models = [_Model(shop, rng) for shop in shops]
    for offset in range(days):
        day = first_day + timedelta(offset)
        starts = []
        for n in range(len(models)):
            count = int(visits_per_day / 2**n * rng.uniform(0.8, 1.2))
            people = max(1, int(count * 0.7))
            for _ in range(count):
                hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
                moment = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
                moment += timedelta(seconds=rng.uniform(0, 3600))
                starts.append((moment, n, rng.randrange(people)))
        starts.sort(key=lambda s: s[0])
        for moment, n, person in starts:
            yield models[n].visit(person, moment)


def visitor_id(shop_id: str, person: int, moment: datetime) -> str:
    """Like the collector's: one person is another visitor each UTC day and in each shop."""
    key = f"{shop_id}|{person}|{moment.astimezone(UTC).date()}".encode()
    return hashlib.blake2b(key, digest_size=16).hexdigest()


def _event(rng: random.Random, visit: Visit, action: PageAction, view_id: str, name: str,
           at: datetime, **fields: Any) -> JsonObject:  # fmt: skip
    return {
        "event_id": f"cev_{_hex(rng, 32)}",
        "name": name,
        "received_at": _iso(at),
        "shop_id": visit.shop_id,
        "visitor_id": visitor_id(visit.shop_id, visit.person, at),
        "session_id": visit.session_id,
        "page_view_id": view_id,
        "page": dict(action.page),
        "region": dict(visit.region),
        **fields,
    }


def page_events(rng: random.Random, visit: Visit, action: PageAction) -> list[JsonObject]:
    """What collect.js reports about one page of a visit: the view, a cart, a checkout, engaged time."""
    view_id = _hex(rng, 24)
    out = [_event(rng, visit, action, view_id, "page_viewed", action.at,
                  referrer=action.referrer, utm=action.utm)]  # fmt: skip
    at = action.at
    if action.cart:
        item, sku, quantity = action.cart
        at += timedelta(seconds=rng.uniform(2, 30))
        out.append(_event(rng, visit, action, view_id, "added_to_cart", at,
                          item_id=item, sku_id=sku, quantity=quantity))  # fmt: skip
    if action.order:
        out.append(_event(rng, visit, action, view_id, "checkout_completed",
                          action.at + timedelta(milliseconds=300), order_id=action.order["id"],
                          total=action.order["total_amount"]["amount"], currency="CNY"))  # fmt: skip
    for ms in action.engaged_ms:
        at += timedelta(milliseconds=ms)
        out.append(_event(rng, visit, action, view_id, "engaged_time", at, engaged_ms=ms))
    return out


def delivered_events(all_visits: list[Visit] | Iterator[Visit], seed: int = 0) -> list[JsonObject]:
    """The customer events of the visits, as the platform delivers them, oldest first."""
    rng = random.Random(f"events-{seed}")  # noqa: S311
    events = [
        e
        for visit in all_visits
        for action in visit.actions
        for e in page_events(rng, visit, action)
    ]
    events.sort(key=lambda e: (e["received_at"], e["event_id"]))
    return events


def orders_for(all_visits: list[Visit]) -> dict[str, list[JsonObject]]:
    """The orders the visits placed, per shop, as GET /api/v1/orders/{id} returns them."""
    orders: dict[str, list[JsonObject]] = {}
    for visit in all_visits:
        for action in visit.actions:
            if action.order:
                orders.setdefault(visit.shop_id, []).append(action.order)
    return orders


def batches(events: list[JsonObject], size: int = 500) -> Iterator[list[JsonObject]]:
    """Per shop, oldest first, at most `size` events: as customer_events.collected carries them."""
    per_shop: dict[str, list[JsonObject]] = {}
    for event in events:
        per_shop.setdefault(event["shop_id"], []).append(event)
    for shop_events in per_shop.values():
        for start in range(0, len(shop_events), size):
            yield shop_events[start : start + size]
