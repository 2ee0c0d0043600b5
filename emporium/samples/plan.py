"""Plan one demo item from (seed, index) alone, so a top-up continues exactly where a run ended."""

import html
import itertools
import math
import random
import string
import uuid
from dataclasses import dataclass
from decimal import Decimal

from emporium.samples.cast import SHOPS
from emporium.samples.pictures import PictureSpec
from emporium.samples.words import (
    DISPATCH,
    LEAF_BY_SLUG,
    ORIGINS,
    PHRASES,
    ZH_DISPATCH,
    ZH_LEAVES,
    ZH_ORIGINS,
    ZH_PHRASES,
    Leaf,
    Option,
)

COLOUR_OPTIONS = ("Colour", "Shade")  # options whose values are palette colours, so pictures match
_SHOP_WEIGHTS = list(itertools.accumulate(shop.weight for shop in SHOPS))
_ENDINGS = (Decimal("0"), Decimal("0.10"), Decimal("0.01"))
_CENTS = Decimal("0.01")
_DAY = 86_400


@dataclass(frozen=True)
class PlannedSku:
    options: dict[str, str]
    price: Decimal
    stock: int
    code: str


@dataclass(frozen=True)
class PlannedItem:
    index: int
    public_id: uuid.UUID
    shop: int  # position in cast.SHOPS
    leaf: str  # leaf category slug
    title: str
    description_html: str
    option_names: list[str]
    skus: list[PlannedSku]
    on_sale: bool
    # How popular the plan means the item to be. Not written to the item: a sold count shown to
    # buyers comes from real orders only (docs/decisions.md, "Sold counts"); drawn still, so
    # the random stream, and with it every other seeded choice, stays what it was.
    popularity: int
    age_seconds: int  # created this long before the seeding run
    pictures: list[PictureSpec]
    picked: bool  # also shown on the shop's "Editor's picks" shelf

    @property
    def price(self) -> Decimal:
        """The lowest SKU price, as catalog.services.refresh_item_totals keeps it."""
        return min(s.price for s in self.skus)

    @property
    def stock(self) -> int:
        return sum(s.stock for s in self.skus)


def plan_item(random_seed: int, index: int) -> PlannedItem:
    # One generator per item (seeded by text, which hashes the same in every process) rather than
    # one stream for the run: item N never depends on how many items came before it.
    rng = random.Random(f"emporium-demo/{random_seed}/{index}")
    public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    shop = rng.choices(range(len(SHOPS)), cum_weights=_SHOP_WEIGHTS)[0]
    leaf = LEAF_BY_SLUG[rng.choice(SHOPS[shop].leaves)]
    chinese = ZH_LEAVES.get(leaf.slug) if SHOPS[shop].language == "zh-hans" else None
    slots = _fill_slots(rng, chinese.words if chinese else leaf.words)
    title = _title(rng, chinese.templates if chinese else leaf.templates, slots)
    options = _choose_options(rng, leaf)
    skus, on_sale = _skus(rng, leaf, options, _sku_prefix(shop, index))
    describe = _chinese_description if chinese else _description
    return PlannedItem(
        index=index,
        public_id=public_id,
        shop=shop,
        leaf=leaf.slug,
        title=title,
        description_html=describe(rng, leaf, slots, options),
        option_names=list(options),
        skus=skus,
        on_sale=on_sale,
        popularity=_sales(rng),
        age_seconds=rng.randrange(90 * _DAY),
        pictures=_pictures(rng, leaf, options),
        picked=rng.random() < 0.08,
    )


def _fill_slots(rng: random.Random, words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {slot: rng.choice(choices) for slot, choices in sorted(words.items())}


def _title(rng: random.Random, templates: tuple[str, ...], slots: dict[str, str]) -> str:
    title = string.Formatter().vformat(rng.choice(templates), (), slots)
    return title[0].upper() + title[1:]


def _choose_options(rng: random.Random, leaf: Leaf) -> dict[str, list[str]]:
    return {option.name: _choose_values(rng, option) for option in rng.choice(leaf.options)}


def _choose_values(rng: random.Random, option: Option) -> list[str]:
    values = [value for value, _ in option.values]
    count = min(rng.randint(option.fewest, option.most), len(values))
    if option.contiguous:
        start = rng.randint(0, len(values) - count)
        return values[start : start + count]
    return rng.sample(values, count)


def _sku_prefix(shop: int, index: int) -> str:
    initials = "".join(word[0] for word in SHOPS[shop].name.split() if word[0].isalpha())[:2]
    return f"{initials.upper()}-{index:06d}"


def _skus(
    rng: random.Random, leaf: Leaf, options: dict[str, list[str]], prefix: str
) -> tuple[list[PlannedSku], bool]:
    """Every combination of the chosen values, priced from one base; and whether it is on sale."""
    base = _base_price(rng, leaf)
    ending = rng.choice(_ENDINGS)
    factors = _factors(leaf)
    roll = rng.random()
    sold_out, in_stock_room = roll < 0.03, roll < 0.12
    skus = []
    for position, values in enumerate(itertools.product(*options.values())):
        pairs = zip(options, values, strict=True)
        factor = math.prod((factors[pair] for pair in pairs), start=Decimal(1))
        price = ((base * factor).quantize(Decimal(1)) - ending).quantize(_CENTS)
        stock = 0 if sold_out or rng.random() < 0.08 else _stock(rng)
        code = f"{prefix}-{position + 1:02d}"
        skus.append(PlannedSku(dict(zip(options, values, strict=True)), price, stock, code))
    if not sold_out and not any(s.stock for s in skus):
        # An item on sale must have something to sell (catalog.services.set_status refuses it).
        first = skus[0]
        skus[0] = PlannedSku(first.options, first.price, 1 + rng.randrange(20), first.code)
    return skus, not in_stock_room


def _factors(leaf: Leaf) -> dict[tuple[str, str], Decimal]:
    return {(o.name, v): Decimal(f) for alt in leaf.options for o in alt for v, f in o.values}


def _base_price(rng: random.Random, leaf: Leaf) -> Decimal:
    # Log-uniform, as real price lists are: as many items at 50–100 as at 500–1000.
    low, high = leaf.price
    return Decimal(round(math.exp(rng.uniform(math.log(low), math.log(high)))))


def _stock(rng: random.Random) -> int:
    return min(2_000, int(rng.paretovariate(1.2) * 5))


def _sales(rng: random.Random) -> int:
    # Pareto-distributed, so sales by rank fall off like Zipf's law: a few hits, a long tail.
    return min(500_000, int((rng.paretovariate(1.1) - 1) * 30))


def _pictures(rng: random.Random, leaf: Leaf, options: dict[str, list[str]]) -> list[PictureSpec]:
    """One picture per colour on offer, then close-ups; a plain item shows one colour twice."""
    colours = next((v for name, v in options.items() if name in COLOUR_OPTIONS), None)
    colours = colours or [rng.choice(leaf.colours)]
    candidates = [PictureSpec(leaf.shape, c, view) for view in (0, 1) for c in colours]
    return candidates[: rng.randint(1, 4)]


def _description(
    rng: random.Random, leaf: Leaf, slots: dict[str, str], options: dict[str, list[str]]
) -> str:
    phrases = PHRASES[leaf.group]
    noun = html.escape(slots["noun"])
    points = "".join(f"<li>{html.escape(p)}</li>" for p in rng.sample(phrases.points, 3))
    rows = _spec_rows(rng, leaf, slots, options)
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    closing = ""
    if phrases.closing:
        closing = f"<p><em>{html.escape(rng.choice(phrases.closing))}</em></p>"
    return (
        f"<p>{rng.choice(phrases.intros).format(noun=noun)}</p>"
        f"<h3>Why you will like it</h3><ul>{points}</ul>"
        f"<h3>Details</h3><table><tbody>{table}</tbody></table>{closing}"
    )


def _chinese_description(
    rng: random.Random, leaf: Leaf, slots: dict[str, str], options: dict[str, list[str]]
) -> str:
    """As a Chinese seller writes it: the same structure as _description, in Chinese."""
    noun = html.escape(slots["noun"])
    points = "".join(f"<li>{html.escape(p)}</li>" for p in rng.sample(ZH_PHRASES.points, 3))
    rows = [(name, ", ".join(values)) for name, values in options.items()]
    rows += [(key, rng.choice(values)) for key, values in ZH_PHRASES.specs.items()]
    rows += [("发货地", rng.choice(ZH_ORIGINS)), ("发货时间", rng.choice(ZH_DISPATCH))]
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return (
        f"<p>{rng.choice(ZH_PHRASES.intros).format(noun=noun)}</p>"
        f"<h3>推荐理由</h3><ul>{points}</ul>"
        f"<h3>商品详情</h3><table><tbody>{table}</tbody></table>"
        f"<p><em>{html.escape(rng.choice(ZH_PHRASES.closing))}</em></p>"
    )


def _spec_rows(
    rng: random.Random, leaf: Leaf, slots: dict[str, str], options: dict[str, list[str]]
) -> list[tuple[str, str]]:
    rows = []
    material = slots.get("cloth") or slots.get("material")
    if material:
        rows.append(("Material", material[0].upper() + material[1:]))
    rows += [(name, ", ".join(values)) for name, values in options.items()]
    rows += [(key, rng.choice(values)) for key, values in PHRASES[leaf.group].specs.items()]
    rows += [("Ships from", rng.choice(ORIGINS)), ("Dispatched within", rng.choice(DISPATCH))]
    return rows
