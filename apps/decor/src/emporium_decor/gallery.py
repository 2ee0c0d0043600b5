"""The template gallery: home-page designs for different moments, and auto-fill from the shop.

A template is a design document (docs/design.md) whose values may be placeholders:

    "@picture:best:0"   the main picture of the best-selling item (also new:N, album:N, hero)
    "@item:best:0"      an item id (also new:N)
    "@items:best:8"     a list of item ids (also new:N, category:N — the chosen category)
    "@price:low"        a price below which about a third of the shop's items sell
    {"en": …, "zh-hans": …}   words in the seller's language; "{shop}" and "{category}" filled

Auto-fill replaces every placeholder with the shop's own items and pictures. A picture the shop
cannot supply is left empty, and the platform renders the section's placeholder instead.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from emporium_sdk.models import ItemOut

from emporium_decor.store import Picture

FREE_TEMPLATES = 3  # the free plan's share of the gallery; the paid plan has them all


def _w(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh-hans": zh}


def _banner(picture: str, heading: dict[str, str], sub: dict[str, str], colour: str = "#ffffff",
            height: str = "medium", link: str | None = "@item:best:0") -> dict[str, Any]:  # fmt: skip
    settings: dict[str, Any] = {"picture": picture, "heading": heading, "subheading": sub,
                                "text_colour": colour, "height": height}  # fmt: skip
    if link:
        settings["link_item"] = link
    return {"type": "banner", "settings": settings}


def _grid(heading: dict[str, str], rule: str, limit: int = 8, columns: int = 4,
          **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"type": "item_grid", "settings": {"heading": heading, "rule": rule, "limit": limit,
                                              "columns": columns, **extra}}  # fmt: skip


def _carousel(heading: dict[str, str], pictures: list[str]) -> dict[str, Any]:
    return {"type": "carousel", "settings": {"heading": heading, "interval": 5},
            "blocks": [{"type": "slide", "settings": {"picture": p}} for p in pictures]}  # fmt: skip


def _picture_text(picture: str, heading: dict[str, str], text: dict[str, str],
                  layout: str = "picture_left") -> dict[str, Any]:  # fmt: skip
    return {"type": "picture_text", "settings": {"picture": picture, "heading": heading,
                                                 "text": text, "layout": layout}}  # fmt: skip


@dataclass(frozen=True)
class Template:
    id: str
    name: dict[str, str]
    moment: dict[str, str]
    sections: list[dict[str, Any]]
    accent: str = "#b3261e"


TEMPLATES: list[Template] = [
    Template("new_arrivals", _w("New arrivals", "新品上市"),
             _w("When a new season's goods come in", "新一季商品到店时"), [
        _banner("@picture:new:0", _w("Just in at {shop}", "{shop} 新品到店"),
                _w("Fresh pieces, this week", "本周新鲜上架"), link="@item:new:0"),
        _grid(_w("New this week", "本周新品"), "newest", 8),
        _picture_text("@picture:new:1", _w("Made for the season", "为这个季节而来"),
                      _w("<p>Our newest pieces, picked for the weeks ahead.</p>",
                         "<p>我们最新的商品，为接下来的日子精心挑选。</p>")),
        _grid(_w("Still loved", "持续热销"), "best_selling", 4),
    ], "#1d4ed8"),
    Template("big_sale", _w("Big sale", "大促"),
             _w("A shop-wide sale or a platform festival", "全店大促或平台大促"), [
        _banner("@picture:hero", _w("Big sale", "年度大促"),
                _w("Up to half off across {shop}", "{shop} 全场低至五折"), height="large"),
        {"type": "coupon_strip", "settings": {"heading": _w("Claim your coupons", "先领券再下单"),
                                              "limit": 3}},
        _grid(_w("Best sellers on sale", "热销爆款"), "best_selling", 8),
        _carousel(_w("Don't miss", "不容错过"),
                  ["@picture:best:1", "@picture:best:2", "@picture:best:3"]),
    ], "#b3261e"),
    Template("brand_story", _w("Brand story", "品牌故事"),
             _w("Tell buyers who you are", "讲述你的品牌"), [
        _picture_text("@picture:album:0", _w("Our story", "我们的故事"),
                      _w("<p>{shop} began with one idea: goods we would use ourselves.</p>",
                         "<p>{shop} 始于一个简单的想法：只卖我们自己也会用的东西。</p>")),
        {"type": "rich_text", "settings": {"heading": _w("What we care about", "我们在意的"),
         "text": _w("<ul><li>Honest materials</li><li>Fair prices</li><li>Care in every parcel</li></ul>",
                    "<ul><li>真材实料</li><li>价格公道</li><li>用心包装每一件</li></ul>"),
         "align": "center"}},
        _picture_text("@picture:best:0", _w("The piece people ask for", "大家都在问的那一件"),
                      _w("<p>Our best seller, season after season.</p>",
                         "<p>一季又一季的销量冠军。</p>"), layout="picture_right"),
        _grid(_w("Our favourites", "我们的心头好"), "best_selling", 4),
    ], "#6b4f2a"),
    Template("category_showcase", _w("Category showcase", "类目橱窗"),
             _w("Put one category in the window", "主推一个类目"), [
        _banner("@picture:category:0", _w("{category}", "{category}"),
                _w("The whole range at {shop}", "{shop} 全系列"), link="@item:category:0"),
        {"type": "category_nav", "settings": {"heading": _w("Browse the shop", "逛逛店铺")}},
        _grid(_w("{category}", "{category}"), "hand_picked", 8, items="@items:category:8"),
        _grid(_w("Just in", "新品"), "newest", 4),
    ], "#0f766e"),
    Template("festival", _w("Festival", "节日"),
             _w("Spring Festival, Mid-Autumn, Double 11", "春节、中秋、双十一"), [
        _banner("@picture:hero", _w("Festival treats", "节日好礼"),
                _w("Gifts from {shop} for the people you love", "{shop} 为你爱的人备好礼物"),
                colour="#ffe08a", height="large"),
        {"type": "coupon_strip", "settings": {"heading": _w("Festival coupons", "节日红包"),
                                              "limit": 3}},
        _carousel(_w("Gift ideas", "送礼灵感"),
                  ["@picture:best:0", "@picture:new:0", "@picture:best:2", "@picture:new:2"]),
        _grid(_w("Gifts everyone loves", "人气好礼"), "best_selling", 8),
    ], "#c2410c"),
    Template("clearance", _w("Clearance", "清仓"),
             _w("End of season: make room", "换季清仓"), [
        _banner("@picture:best:0", _w("Clearance", "清仓特卖"),
                _w("Last pieces at {shop}, while they last", "{shop} 尾货特价，售完即止"),
                colour="#111111", height="small"),
        _grid(_w("Under the usual price", "超值好价"), "price_band", 12, max_price="@price:low"),
        {"type": "coupon_strip", "settings": {"heading": _w("One more coupon", "再领一张券"),
                                              "limit": 2}},
    ], "#4b5563"),
    Template("best_sellers", _w("Best sellers", "热销榜"),
             _w("Let the crowd choose", "让大家帮你选"), [
        _carousel(_w("Top of the shop", "本店热销"),
                  ["@picture:best:0", "@picture:best:1", "@picture:best:2", "@picture:best:3"]),
        _grid(_w("Best sellers", "热销榜单"), "best_selling", 12, 4),
        _picture_text("@picture:best:1", _w("Number two, and close", "亚军，紧追不舍"),
                      _w("<p>Second in sales, first in many hearts.</p>",
                         "<p>销量第二，却是很多人心中的第一。</p>")),
    ], "#7c3aed"),
    Template("lookbook", _w("Lookbook", "画册"),
             _w("Pictures first, for a visual shop", "以图为主，适合重视视觉的店铺"), [
        _carousel(_w("Lookbook", "画册"),
                  ["@picture:album:0", "@picture:album:1", "@picture:album:2", "@picture:new:0"]),
        _picture_text("@picture:new:1", _w("Worn every day", "日常之选"),
                      _w("<p>How our pieces look away from the studio.</p>",
                         "<p>离开摄影棚，我们的商品在生活里的样子。</p>")),
        _picture_text("@picture:best:0", _w("Loved by many", "深受喜爱"),
                      _w("<p>The one buyers come back for.</p>", "<p>回头客最爱的那一件。</p>"),
                      layout="picture_right"),
        _grid(_w("Shop the look", "同款直达"), "hand_picked", 6, 3, items="@items:best:6"),
    ], "#be185d"),
]  # fmt: skip
BY_ID = {t.id: t for t in TEMPLATES}


def available(plan: str) -> list[Template]:
    """The templates a plan opens: the free plan the first three, a paid plan every one."""
    return TEMPLATES if plan != "free" else TEMPLATES[:FREE_TEMPLATES]


@dataclass
class ShopFacts:
    """What auto-fill draws from: the shop's items on sale and its album."""

    name: str
    items: list[ItemOut]
    pictures: list[Picture] = field(default_factory=list)
    category: str = ""  # a platform category slug; "" picks the one with most items
    category_names: dict[str, str] = field(default_factory=dict)

    def best(self) -> list[ItemOut]:
        return sorted(self.items, key=lambda i: (-i.sales_count, i.title))

    def newest(self) -> list[ItemOut]:
        return sorted(self.items, key=lambda i: i.created_at, reverse=True)

    def chosen_category(self) -> str:
        if self.category:
            return self.category
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.category] = counts.get(item.category, 0) + 1
        return max(counts, key=lambda c: (counts[c], c)) if counts else ""

    def in_category(self) -> list[ItemOut]:
        chosen = self.chosen_category()
        return [i for i in self.best() if i.category == chosen]

    def ranked(self, rule: str) -> list[ItemOut]:
        return {"best": self.best, "new": self.newest, "category": self.in_category}[rule]()

    def space_pictures(self) -> list[Picture]:
        space = [p for p in self.pictures if p.source == "space"]
        banners = [p for p in space if "banner" in p.folder.lower() or "banner" in p.tags]
        return banners + [p for p in space if p not in banners]


def _main_picture(item: ItemOut) -> str | None:
    images = sorted(item.images, key=lambda i: i.position)
    return images[0].key if images else None


def _nth(rows: list[Any], n: int) -> Any:
    return rows[n] if 0 <= n < len(rows) else None


class Filler:
    def __init__(self, facts: ShopFacts, lang: str) -> None:
        self.facts, self.lang = facts, lang
        chosen = facts.chosen_category()
        self.category_name = facts.category_names.get(chosen, chosen)

    def words(self, value: dict[str, str]) -> str:
        text = value.get(self.lang) or value.get("en", "")
        return text.replace("{shop}", self.facts.name).replace("{category}", self.category_name)

    def picture(self, what: str) -> str | None:
        rule, _, n = what.partition(":")
        if rule == "hero":  # a banner of the album, else the best seller's picture
            space = self.facts.space_pictures()
            return space[0].key if space else self.picture("best:0")
        if rule == "album":  # the n-th album picture, else the n-th best seller's
            found = _nth(self.facts.space_pictures(), int(n))
            return found.key if found else self.picture(f"best:{n}")
        item = _nth(self.facts.ranked(rule), int(n or 0))
        return _main_picture(item) if item else None

    def value(self, value: Any) -> Any:
        if isinstance(value, dict) and "en" in value:
            return self.words(value)
        if not isinstance(value, str) or not value.startswith("@"):
            return value
        kind, _, what = value[1:].partition(":")
        if kind == "picture":
            return self.picture(what)
        if kind == "item":
            rule, _, n = what.partition(":")
            item = _nth(self.facts.ranked(rule), int(n or 0))
            return item.id if item else None
        if kind == "items":
            rule, _, n = what.partition(":")
            return [i.id for i in self.facts.ranked(rule)[: int(n or 8)]]
        if kind == "price":
            return self.low_price()
        raise ValueError(f"unknown placeholder {value}")

    def low_price(self) -> str:
        prices = sorted(Decimal(i.price.amount) for i in self.facts.items)
        if not prices:
            return "100.00"
        return f"{prices[len(prices) // 3]:.2f}"


def fill(template: Template, facts: ShopFacts, lang: str) -> list[dict[str, Any]]:
    """The template's sections with every placeholder replaced from the shop: ready to save."""
    filler = Filler(facts, lang)
    sections = []
    for raw in copy.deepcopy(template.sections):
        settings = {k: filler.value(v) for k, v in raw.get("settings", {}).items()}
        section: dict[str, Any] = {
            "type": raw["type"],
            "settings": {k: v for k, v in settings.items() if v is not None},
        }
        if (
            raw["type"] == "item_grid"
            and settings.get("rule") == "hand_picked"
            and not settings.get("items")
        ):
            section["settings"]["rule"] = "best_selling"  # an empty category: show something
            section["settings"].pop("items", None)
        if "blocks" in raw:
            blocks = []
            for block in raw["blocks"]:
                values = {k: filler.value(v) for k, v in block.get("settings", {}).items()}
                blocks.append({"type": block["type"],
                               "settings": {k: v for k, v in values.items() if v is not None}})  # fmt: skip
            section["blocks"] = blocks
        sections.append(section)
    return sections


def card(template: Template, lang: str, locked: bool) -> dict[str, Any]:
    """What the gallery shows of a template."""
    return {
        "id": template.id,
        "name": template.name.get(lang, template.name["en"]),
        "moment": template.moment.get(lang, template.moment["en"]),
        "sections": [s["type"] for s in template.sections],
        "accent": template.accent,
        "locked": locked,
    }
