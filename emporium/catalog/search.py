"""Item search with filters and sorts: SQLite FTS5 on the default, PostgreSQL full text when scaled out.

Both engines index title, description and category names by words (FTS5 `unicode61`,
PostgreSQL `simple`), and Chinese text as overlapping character pairs (catalog/search_terms.py),
so a query means the same on both and in both languages (see docs/search.md).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet

from emporium.catalog.models import Category, Item
from emporium.catalog.search_terms import CJK_RUN, QUERY_WORD, bigrams
from emporium.shops.models import Shop

SORTS = ("relevance", "sales", "price_asc", "price_desc", "newest")
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: Category | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = "relevance"
    shop_id: int | None = None
    # A sandbox shop whose stock-room items its sandbox buyer finds too (ecosystem/sandbox.py).
    sandbox_shop_id: int | None = None


def findable(sandbox_shop_id: int | None = None) -> QuerySet[Item]:
    """Publicly visible items, and for a sandbox buyer also its sandbox shop's stock room."""
    if sandbox_shop_id is None:
        return Item.objects.visible()
    stock_room = Q(shop_id=sandbox_shop_id, status=Item.Status.STOCK_ROOM)
    return Item.objects.filter(Q(status=Item.Status.ON_SALE, shop__status="open") | stock_room)


def search_items(query: SearchQuery) -> QuerySet[Item]:
    """Publicly visible items matching the query, filtered and ordered; the caller paginates."""
    items = _filtered(findable(query.sandbox_shop_id).select_related("shop"), query)
    words = QUERY_WORD.findall(query.text)[:MAX_QUERY_WORDS]
    ranked = bool(words)
    if words and connection.vendor == "postgresql":
        items = _postgres_match(items, words)
    elif words:
        items = _sqlite_match(items, words)
    return items.order_by(*_ordering(query.sort, ranked))


def listed_ids(query: SearchQuery) -> "QuerySet[Item, int] | None":
    """The ids `search_items` would list, in its order, for a query without words (a category,
    a price range, a sort); None for a query with words or a sandbox buyer's.

    The shops' status is an IN over the open shops, not a join, so SQLite reads the items off
    their own indexes: with the join it started from the shops and sorted every item on sale, 136
    against 27 ms for a top-level category's page at 100,000 items (docs/performance.md, "The
    hot items' order"). The cards are read for the page's ids afterwards
    (storefront.listing.paginate_query)."""
    if query.sandbox_shop_id is not None or QUERY_WORD.findall(query.text):
        return None
    open_shops = Shop.objects.filter(status=Shop.Status.OPEN).values("id")
    items = Item.objects.filter(status=Item.Status.ON_SALE, shop_id__in=open_shops)
    return (
        _filtered(items, query).order_by(*_ordering(query.sort, False)).values_list("id", flat=True)
    )


def _filtered(items: QuerySet[Item], query: SearchQuery) -> QuerySet[Item]:
    if query.category is not None:
        items = items.filter(category__in=category_and_descendants(query.category))
    if query.min_price is not None:
        items = items.filter(price__gte=query.min_price)
    if query.max_price is not None:
        items = items.filter(price__lte=query.max_price)
    if query.shop_id is not None:
        items = items.filter(shop_id=query.shop_id)
    return items


def _ordering(sort: str, ranked: bool) -> list[str]:
    if sort == "sales":
        return ["-sales_count", "-id"]
    if sort == "price_asc":
        return ["price", "-id"]
    if sort == "price_desc":
        return ["-price", "-id"]
    if sort == "newest":
        return ["-created_at", "-id"]
    # Relevance; with no words to rank by, the best sellers come first.
    return ["search_rank", "-sales_count", "-id"] if ranked else ["-sales_count", "-id"]


def _sqlite_match(items: QuerySet[Item], words: list[str]) -> QuerySet[Item]:
    # Each word is quoted (so FTS5 operators typed by a visitor are plain text): other words are
    # prefix-matched in every column, a Chinese word is the phrase of its character pairs in the
    # columns that hold pairs. Words are ANDed.
    fts_query = " ".join(_fts5_term(w) for w in words)
    # .extra() because the ORM cannot join a virtual table; bm25 is lower for better matches.
    # Column weights: title 10, description 1, Chinese title 10, category names 3, Chinese
    # description 1.
    return items.extra(
        tables=["catalog_item_fts"],
        where=["catalog_item_fts.rowid = catalog_item.id", "catalog_item_fts MATCH %s"],
        params=[fts_query],
        select={"search_rank": "bm25(catalog_item_fts, 10.0, 1.0, 10.0, 3.0, 1.0)"},
    )


def _fts5_term(word: str) -> str:
    if CJK_RUN.fullmatch(word):
        return '{search_title search_category search_text} : "' + " ".join(bigrams(word)) + '"'
    return '"' + word.replace('"', '""') + '"*'


def _tsquery_term(word: str) -> str:
    if CJK_RUN.fullmatch(word):
        return "(" + " <-> ".join(bigrams(word)) + ")"
    return re.sub(r"[^\w]", "", word) + ":*"


def _postgres_match(items: QuerySet[Item], words: list[str]) -> QuerySet[Item]:
    ts_query = " & ".join(_tsquery_term(w) for w in words)
    return items.extra(
        where=["catalog_item.search_vector @@ to_tsquery('simple', %s)"],
        params=[ts_query],
        select={"search_rank": "-ts_rank(catalog_item.search_vector, to_tsquery('simple', %s))"},
        select_params=[ts_query],
    )


def category_and_descendants(category: Category) -> list[int]:
    """Ids of a category and everything below it (the tree is small and shallow)."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids
