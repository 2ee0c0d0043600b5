"""The platform's category tree (public): items hang on its leaves."""

from ninja import Field, Schema

from emporium.catalog.models import Category


class CategoryOut(Schema):
    id: int = Field(description="the number customer events carry as `page.category_id`")
    slug: str
    name: str
    name_zh_hans: str
    commission_rate: str = Field(description="the platform's fee on sales, e.g. 0.0500 = 5%")
    children: list["CategoryOut"]


def tree(categories: list[Category]) -> list[CategoryOut]:
    """Nest a flat, ordered list of every category in one pass."""
    nodes = {
        c.pk: CategoryOut(
            id=c.pk,
            slug=c.slug,
            name=c.name,
            name_zh_hans=c.name_zh_hans,
            commission_rate=format(c.commission_rate, "f"),
            children=[],
        )
        for c in categories
    }
    roots: list[CategoryOut] = []
    for c in categories:
        (nodes[c.parent_id].children if c.parent_id in nodes else roots).append(nodes[c.pk])
    return roots
