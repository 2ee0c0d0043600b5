"""GET /categories: the platform tree, readable with any catalog or item scope."""

from ninja import Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.catalog.models import Category
from emporium.resources.categories import CategoryOut, tree

router = Router(tags=["catalog"])


@router.get("", response=list[CategoryOut], auth=Scoped("catalog:read", "items:read", shop=False))
def list_categories(request: ApiRequest) -> list[CategoryOut]:
    """Every category, nested; new items must name a leaf (a category without children)."""
    return tree(list(Category.objects.order_by("position", "name")))
