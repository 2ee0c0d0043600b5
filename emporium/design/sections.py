"""The catalogue of sections the platform renders, each with a schema of typed settings.

A design is `{"sections": [{"id", "type", "settings": {...}, "blocks": [{"type", "settings"}]}]}`.
Like Shopify's section schemas: the seller (or an app) fills settings, never writes templates.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_SECTIONS = 25
MAX_BLOCKS = 50
TEXT_KINDS = ("text", "rich_text", "html")
SETTING_KINDS = (
    "text", "rich_text", "html", "picture", "item", "item_list", "category", "colour",
    "number", "choice", "price",
)  # fmt: skip
GRID_RULES = ("newest", "best_selling", "category", "price_band", "hand_picked")


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str
    label: str | Promise
    required: bool = False
    default: Any = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    max_items: int | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    settings: tuple[Setting, ...]
    block_type: str = ""  # "" when the section has no blocks
    block_settings: tuple[Setting, ...] = ()
    max_blocks: int = 0


def _heading() -> Setting:
    return Setting("heading", "text", _("Heading"), default="", max_length=80)


def _link() -> Setting:
    return Setting("link_item", "item", _("Links to item"))


CATALOGUE: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("banner", _("Banner"), (
            Setting("picture", "picture", _("Picture")),
            _heading(),
            Setting("subheading", "text", _("Subheading"), default="", max_length=200),
            _link(),
            Setting("text_colour", "colour", _("Text colour"), default="#ffffff"),
            Setting("height", "choice", _("Height"), default="medium",
                    choices=("small", "medium", "large")),
        )),
        Kind("carousel", _("Picture carousel"), (
            _heading(),
            Setting("interval", "number", _("Seconds per slide"), default=5, minimum=0, maximum=15),
        ), "slide", (
            Setting("picture", "picture", _("Picture")),
            Setting("caption", "text", _("Caption"), default="", max_length=120),
            _link(),
        ), MAX_BLOCKS),
        Kind("item_grid", _("Item grid"), (
            _heading(),
            Setting("rule", "choice", _("Items shown"), default="newest", choices=GRID_RULES),
            Setting("category", "category", _("Shop category")),
            Setting("min_price", "price", _("Lowest price")),
            Setting("max_price", "price", _("Highest price")),
            Setting("items", "item_list", _("Hand-picked items"), default=[], max_items=50),
            Setting("columns", "number", _("Columns on a wide screen"), default=4,
                    minimum=2, maximum=6),
            Setting("limit", "number", _("How many items"), default=8, minimum=1, maximum=48),
        )),
        Kind("category_nav", _("Category navigation"), (_heading(),), "category", (
            Setting("category", "category", _("Shop category"), required=True),
            Setting("picture", "picture", _("Picture")),
        ), MAX_BLOCKS),
        Kind("rich_text", _("Rich text"), (
            _heading(),
            Setting("text", "rich_text", _("Text"), required=True, max_length=10_000),
            Setting("align", "choice", _("Alignment"), default="left", choices=("left", "center")),
        )),
        Kind("picture_text", _("Picture with text"), (
            Setting("picture", "picture", _("Picture")),
            _heading(),
            Setting("text", "rich_text", _("Text"), default="", max_length=10_000),
            Setting("layout", "choice", _("Layout"), default="picture_left",
                    choices=("picture_left", "picture_right")),
            _link(),
        )),
        Kind("coupon_strip", _("Coupon strip"), (
            _heading(),
            Setting("limit", "number", _("How many coupons"), default=3, minimum=1, maximum=6),
        )),
        Kind("custom_html", _("Custom HTML"), (
            Setting("html", "html", _("HTML"), required=True, max_length=20_000),
        )),
    ]
}  # fmt: skip
