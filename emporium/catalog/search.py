"""Item search with filters and sorts: SQLite FTS5 on the default, PostgreSQL full text when scaled out.

Both engines index title and description by words (FTS5 `unicode61`, PostgreSQL `simple`), so a
query means the same on both. Neither splits Chinese text into words, so a query containing CJK
characters also matches titles containing it as a substring (see docs/search.md).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet

from emporium.catalog.models import Category, Item

SORTS = ("relevance", "sales", "price_asc", "price_desc", "newest")
_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: Category | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: str = "relevance"
    shop_id: int | None = None


def search_items(query: SearchQuery) -> QuerySet[Item]:
    """Publicly visible items matching the query, filtered and ordered; the caller paginates."""
    items: QuerySet[Item] = Item.objects.visible().select_related("shop")
    if query.category is not None:
        items = items.filter(category__in=category_and_descendants(query.category))
    if query.min_price is not None:
        items = items.filter(price__gte=query.min_price)
    if query.max_price is not None:
        items = items.filter(price__lte=query.max_price)
    if query.shop_id is not None:
        items = items.filter(shop_id=query.shop_id)
    words = _WORD.findall(query.text)[:MAX_QUERY_WORDS]
    ranked = False
    if words:
        if _CJK.search(query.text):
            text_filter = Q()
            for word in words:
                text_filter &= Q(title__icontains=word)
            items = items.filter(text_filter)
        elif connection.vendor == "postgresql":
            items, ranked = _postgres_match(items, words), True
        else:
            items, ranked = _sqlite_match(items, words), True
    return items.order_by(*_ordering(query.sort, ranked))


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
    # Each word is quoted (so FTS5 operators typed by a visitor are plain text) and prefix-matched.
    fts_query = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    # .extra() because the ORM cannot join a virtual table; bm25 is lower for better matches.
    return items.extra(
        tables=["catalog_item_fts"],
        where=["catalog_item_fts.rowid = catalog_item.id", "catalog_item_fts MATCH %s"],
        params=[fts_query],
        select={"search_rank": "bm25(catalog_item_fts, 10.0, 1.0)"},
    )


def _postgres_match(items: QuerySet[Item], words: list[str]) -> QuerySet[Item]:
    ts_query = " & ".join(re.sub(r"[^\w]", "", w) + ":*" for w in words)
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
