"""Background upkeep of the catalog's database statistics, run by the worker."""

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


def refresh_statistics() -> str:
    """Keep the query planner's statistics fresh as the catalog grows.

    Without them SQLite drove a search's count from the status index and probed the full-text
    index once per item (16 s per search at 100,000 items; see docs/performance.md).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
        else:
            cursor.execute("ANALYZE catalog_item")
    return connection.vendor


@db_periodic_task(crontab(hour="4", minute="7"))
def nightly_statistics() -> None:
    refresh_statistics()
