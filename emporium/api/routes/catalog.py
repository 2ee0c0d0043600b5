"""The public catalog (items on sale in every shop) for app-level and buyer tokens: the list, hot
sellers, one item with its prices now, and search with the storefront's filters."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse
from ninja import Field, Query, Router
from ninja.responses import NinjaJSONEncoder

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import invalid, not_found
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, Input, PageQuery
from emporium.catalog.models import Category, Item
from emporium.catalog.search import SearchQuery, findable, search_items
from emporium.ecosystem import sandbox
from emporium.lib import clock
from emporium.promotions.pricing import unit_prices
from emporium.resources.catalog import CatalogItemOut, HotItemOut, catalog_item_out
from emporium.resources.common import Page
from emporium.resources.items import PublicItemOut, public_item_out
from emporium.trade.bestsellers import hot_items

router = Router(tags=["catalog"])


class CatalogFilter(PageQuery):
    category: str | None = Field(
        None, max_length=60, description="a category slug (leaf or parent)"
    )
    updated_since: AwareTime | None = None


@router.get("/items", response=Page[PublicItemOut], auth=Scoped("catalog:read", shop=False))
def list_catalog_items(request: ApiRequest, filters: Query[CatalogFilter]) -> dict:
    """Items on sale in every open shop, least recently updated first."""
    found = (
        Item.objects.visible().select_related("category", "shop").prefetch_related("skus", "images")
    )
    if filters.category:
        slug = filters.category
        found = found.filter(Q(category__slug=slug) | Q(category__parent__slug=slug))
    if filters.updated_since:
        found = found.filter(updated_at__gte=filters.updated_since)
    rows, cursor = paginate(found, filters, key="updated_at", name="catalog")
    return {"data": [public_item_out(item) for item in rows], "next_cursor": cursor}


CATALOG = Scoped("catalog:read", shop=False)


def _category(slug: str | None) -> Category | None:
    if not slug:
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise invalid("category", f"category: no category {slug!r} (see GET /categories).")
    return category


def _sandbox_shop_id(request: ApiRequest) -> int | None:
    """A developer's sandbox buyer also finds the sandbox shop's items; nobody else does."""
    buyer = request.auth.buyer
    if buyer is None or not buyer.username.startswith(sandbox.USERNAME_PREFIX):
        return None
    shop = sandbox.sandbox_shop_for(buyer)
    return shop.pk if shop is not None else None


def _priced(items: list[Item]) -> list[CatalogItemOut]:
    """Items with their prices now: one pricing call for all of them (promotions/pricing.py)."""
    offers = unit_prices([sku for item in items for sku in item.skus.all()], clock.now())
    return [catalog_item_out(item, offers) for item in items]


class HotQuery(Input):
    category: str | None = Field(None, max_length=60, description="a category slug")
    days: int = Field(7, ge=1, le=90, description="the window, in days")
    limit: int = Field(20, ge=1, le=50)


@router.get("/hot", response=list[HotItemOut], auth=CATALOG)
def hot_catalog_items(request: ApiRequest, query: Query[HotQuery]) -> HttpResponse:
    """Hot sellers: items by units sold in paid orders over the last `days`, overall or in a
    category (and its sub-categories). The list is the same for every caller, so it is built at
    most once per `API_HOT_ITEMS_SECONDS` (30 s) and may be that old; `GET /catalog/items/{id}`
    gives an item's price and stock now."""
    sandbox_shop = _sandbox_shop_id(request)
    key = f"api:hot:{query.days}:{query.category or ''}:{query.limit}:{sandbox_shop or ''}"
    body = _fresh(cache.get(key))
    if body is None:
        category = _category(query.category)  # an unknown slug is refused before caching
        ranked = hot_items(query.days, category, query.limit, sandbox_shop)
        priced = _priced([item for item, _sold in ranked])
        rows = [
            HotItemOut(item=out, sold_recently=sold).model_dump()
            for out, (_i, sold) in zip(priced, ranked, strict=True)
        ]
        body = json.dumps(rows, cls=NinjaJSONEncoder).encode()  # as ninja renders
        if settings.API_HOT_ITEMS_SECONDS > 0:
            cache.set(key, (clock.now(), body), settings.API_HOT_ITEMS_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _fresh(cached: tuple[datetime, bytes] | None) -> bytes | None:
    """The cached body while it is younger than API_HOT_ITEMS_SECONDS by the platform's clock
    (which tests move), else None."""
    if cached is None:
        return None
    made, body = cached
    age = (clock.now() - made).total_seconds()
    return body if 0 <= age < settings.API_HOT_ITEMS_SECONDS else None


class SearchIn(PageQuery):
    q: str = Field(
        "",
        max_length=100,
        description="words of the title or description (matched by prefix); a Chinese title "
        "is also found by its pinyin or pinyin initials: lianyiqun or lyq finds 连衣裙",
    )
    category: str | None = Field(None, max_length=60, description="a category slug")
    min_price: Decimal | None = Field(None, ge=0, le=9999999)
    max_price: Decimal | None = Field(None, ge=0, le=9999999)
    sort: Literal["relevance", "sales", "price_asc", "price_desc", "newest"] = "relevance"


@router.get("/search", response=Page[CatalogItemOut], auth=CATALOG)
def search_catalog(request: ApiRequest, query: Query[SearchIn]) -> dict:
    """The storefront's search: the same words, filters and sorts as its search page. Letters
    alone find Chinese titles by pinyin, so an app without Chinese input (a TV's on-screen
    keyboard) can search them. Scope `catalog:read`."""
    found = search_items(
        SearchQuery(
            text=query.q,
            category=_category(query.category),
            min_price=query.min_price,
            max_price=query.max_price,
            sort=query.sort,
            sandbox_shop_id=_sandbox_shop_id(request),
        )
    )
    start = _offset(query.cursor)
    rows = list(
        found.select_related("category").prefetch_related("skus", "images")[
            start : start + query.limit + 1
        ]
    )
    more = len(rows) > query.limit
    return {
        "data": _priced(rows[: query.limit]),
        "next_cursor": f"o{start + query.limit}" if more else None,
    }


def _offset(cursor: str | None) -> int:
    # Search ranks by relevance, which no column holds: its cursor is an offset.
    if cursor is None:
        return 0
    if not cursor.startswith("o") or not cursor[1:].isdigit() or len(cursor) > 8:
        raise invalid(
            "cursor", "cursor: pass the next_cursor of a previous page.", "invalid_cursor"
        )
    return int(cursor[1:])


@router.get("/items/{item_id}", response=CatalogItemOut, auth=CATALOG)
def get_catalog_item(request: ApiRequest, item_id: UUID) -> CatalogItemOut:
    """One item on sale: its SKUs with prices now (promotions applied), stock and pictures."""
    item = (
        findable(_sandbox_shop_id(request))
        .select_related("category", "shop")
        .prefetch_related("skus", "images")
        .filter(public_id=item_id)
        .first()
    )
    if item is None:
        raise not_found()
    return _priced([item])[0]
