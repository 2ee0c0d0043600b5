"""An item's cover (its first picture) as a subquery, so a list of items, cart lines or order
lines shows thumbnails in the same query that reads the rows."""

from django.db.models import OuterRef, Subquery

from emporium.catalog.models import ItemImage


def cover_key(item: str = "pk") -> Subquery:
    """The content key of the first picture of the item at `item` (a path from the outer row)."""
    first = ItemImage.objects.filter(item=OuterRef(item)).order_by("position", "id")
    return Subquery(first.values("key")[:1])
