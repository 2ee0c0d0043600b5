"""GET /catalog/items: the public catalog (items on sale in every shop), for app-level tokens."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router

from emporium.api.auth import Scoped
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, Page, PageQuery
from emporium.api.schemas.items import PublicItemOut, public_item_out
from emporium.catalog.models import Item

router = Router(tags=["catalog"])


class CatalogFilter(PageQuery):
    category: str | None = Field(
        None, max_length=60, description="a category slug (leaf or parent)"
    )
    updated_since: AwareTime | None = None


@router.get("/items", response=Page[PublicItemOut], auth=Scoped("catalog:read", shop=False))
def list_catalog_items(request: HttpRequest, filters: Query[CatalogFilter]) -> dict:
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
