"""What the storefront pages share: item cards with their cover, the category tree, SKU pickers."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery

from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.catalog.search import SearchQuery, search_items
from emporium.storefront.templatetags.storefront_tags import money

PER_PAGE = 24
HOT_ITEMS = 24


def with_cover(items: QuerySet[Item]) -> QuerySet[Item]:
    """Add `cover_key`, the item's first picture, so a grid of cards is one query."""
    first = ItemImage.objects.filter(item=OuterRef("pk")).order_by("position", "id")
    return items.annotate(cover_key=Subquery(first.values("key")[:1]))


def hot_items(limit: int = HOT_ITEMS) -> list[Item]:
    return list(with_cover(search_items(SearchQuery(sort="sales")))[:limit])


def paginate(items: QuerySet[Item], page_number: str | None) -> Page:
    """A page of cards; a page number out of range or not a number falls back to the last/first."""
    return Paginator(with_cover(items), PER_PAGE).get_page(page_number)


def category_tree() -> list[Category]:
    """Top-level categories, each with `.subcategories`, from one query."""
    nodes = list(Category.objects.all())
    children: dict[int | None, list[Category]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    for node in nodes:
        node.subcategories = children[node.pk]  # type: ignore[attr-defined] # for the template
    return children[None]


@dataclass(frozen=True)
class OptionValue:
    value: str
    available: bool  # some SKU with this value is in stock


@dataclass(frozen=True)
class OptionGroup:
    name: str
    values: list[OptionValue]


def option_groups(option_names: list[str], skus: list[Sku]) -> list[OptionGroup]:
    """The picker's buttons: each option's values in the seller's order, greyed when sold out."""
    groups = []
    for name in option_names:
        in_stock: dict[str, bool] = {}
        for sku in skus:
            value = str(sku.options.get(name, ""))
            in_stock[value] = in_stock.get(value, False) or sku.stock > 0
        values = [OptionValue(value, available) for value, available in in_stock.items()]
        groups.append(OptionGroup(name=name, values=values))
    return groups


def sku_payload(option_names: list[str], skus: list[Sku]) -> dict:
    """What storefront.js needs to match a picked combination to a SKU, its price and stock."""
    return {
        "options": option_names,
        "skus": [
            {
                "id": sku.pk,
                "options": {name: str(sku.options.get(name, "")) for name in option_names},
                "price": money(sku.offer.price if hasattr(sku, "offer") else sku.price),
                "stock": sku.stock,
            }
            for sku in skus
        ],
    }
