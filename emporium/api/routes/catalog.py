"""GET /catalog/items: the public catalog (items on sale in every shop), for app-level tokens."""

from django.db.models import Q
from ninja import Field, Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, PageQuery
from emporium.catalog.models import Item
from emporium.resources.common import Page
from emporium.resources.items import PublicItemOut, public_item_out

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
