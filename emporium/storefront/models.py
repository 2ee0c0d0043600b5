"""The storefront's one table: the version anonymous pages are cached under (pagecache.py)."""

from django.db import models


class PageVersion(models.Model):
    """Row 1: every page; row 2: item pages. Any write to what pages show sets a new random
    `value` in its own transaction; a cached page is found only under the value it was rendered
    at (pagecache.py says which writes leave row 2 alone)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "storefront_pageversion"

    def __str__(self) -> str:
        return f"page version {self.value}"
