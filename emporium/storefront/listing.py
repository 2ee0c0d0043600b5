"""What the storefront pages share: item cards with their cover, the category tree, SKU pickers."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from emporium.catalog.covers import cover_key
from emporium.catalog.models import Category, Item, Sku
from emporium.catalog.search import SearchQuery, listed_ids, search_items
from emporium.lib import clock
from emporium.promotions.pricing import UnitPrice, attach_shown_prices
from emporium.storefront.templatetags.storefront_tags import money

PER_PAGE = 24
HOT_ITEMS = 24


def with_cover(items: QuerySet[Item]) -> QuerySet[Item]:
    """Add `cover_key`, the item's first picture, so a grid of cards is one query."""
    return items.annotate(cover_key=cover_key())


def hot_items(limit: int = HOT_ITEMS) -> list[Item]:
    """The best sellers on sale in open shops, ties to the newest, priced as cards.

    The order is read off the index `item_hot` alone, then the cards for those ids. One query
    joining the shops let SQLite start from the shops and sort every item on sale: ~300 ms per
    fresh home page at 100,000 items, against well under 1 ms (docs/performance.md)."""
    ranked = (
        Item.objects.filter(status=Item.Status.ON_SALE)
        .order_by("-sales_count", "-id")
        .values_list("id", flat=True)
    )
    cards = with_cover(Item.objects.visible().select_related("shop"))
    chosen: list[Item] = []
    start, window = 0, 2 * limit
    while len(chosen) < limit:
        ids = list(ranked[start : start + window])
        by_id = {item.id: item for item in cards.filter(id__in=ids)}
        chosen.extend(by_id[item_id] for item_id in ids if item_id in by_id)
        if len(ids) < window:
            break
        # The best sellers of closed shops are skipped; a wider window each time keeps the
        # rounds few however many of them rank first.
        start, window = start + window, window * 4
    return with_prices(chosen[:limit])


def paginate_query(query: SearchQuery, page_number: str | None) -> Page:
    """A page of cards for a search or a category: for a query without words, its ids are paged
    first and only the page's cards read (catalog.search.listed_ids); with words, as `paginate`."""
    ids = listed_ids(query)
    if ids is None:
        return paginate(search_items(query), page_number)
    page: Page[Any] = Paginator(ids, PER_PAGE).get_page(page_number)
    wanted = list(page.object_list)
    cards = with_cover(Item.objects.select_related("shop").filter(id__in=wanted))
    by_id = {item.id: item for item in cards}
    page.object_list = with_prices([by_id[item_id] for item_id in wanted if item_id in by_id])
    return page


def paginate(items: QuerySet[Item], page_number: str | None) -> Page:
    """A page of cards; a page number out of range or not a number falls back to the last/first."""
    page = Paginator(with_cover(items), PER_PAGE).get_page(page_number)
    page.object_list = with_prices(list(page.object_list))
    return page


def with_prices(items: list[Item]) -> list[Item]:
    """Cards show the price the item page shows: promotions applied, the list price struck
    through, the promotion named (promotions.pricing.attach_shown_prices)."""
    return attach_shown_prices(items, clock.now())


@dataclass(frozen=True)
class Branch:
    """A top-level category with its sub-categories, for the menus."""

    category: Category
    subcategories: list[Category]

    @property
    def slug(self) -> str:
        return self.category.slug

    @property
    def label(self) -> str:
        return self.category.label


def category_tree() -> list[Branch]:
    """Top-level categories, each with `.subcategories`, from one query."""
    children: dict[int | None, list[Category]] = defaultdict(list)
    for node in Category.objects.all():
        children[node.parent_id].append(node)
    return [Branch(top, children[top.pk]) for top in children[None]]


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


def sku_payload(
    option_names: list[str], skus: list[Sku], offers: dict[int, UnitPrice]
) -> dict[str, Any]:
    """What storefront.js needs to match a picked combination to a SKU, its price and stock."""
    return {
        "options": option_names,
        "skus": [
            {
                "id": sku.pk,
                "options": {name: str(sku.options.get(name, "")) for name in option_names},
                "price": money(offers[sku.pk].price),
                # Struck through only when this SKU's own price is reduced: a SKU outside the
                # promotion never shows a "was" price equal to its price.
                "list_price": money(offers[sku.pk].list_price) if offers[sku.pk].is_reduced else "",
                "stock": sku.stock,
            }
            for sku in skus
        ],
    }
