"""The storefront's list queries at 100,000 items: each one's SQLite plan and time, read directly.

    uv run python bench/list_plans.py [--runs 5]

Reads the bench's database (var/bench, or $BENCH_VAR_DIR; `bench/catalog.py` seeds it) with
sqlite3, so the figures are the queries alone: the home page's hot items (both reads of
`storefront.listing.hot_items`), a top-level category (its ids, as `catalog.search.listed_ids`
pages them, and the one query with the join it replaced), a shop, and searches in both
languages.
Prints the median of `--runs` and the plan's steps; a "TEMP B-TREE" step is a sort.
"""

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("BENCH_VAR_DIR", PROJECT / "var" / "bench")).resolve()


def queries() -> dict[str, tuple[str, list]]:
    os.environ.update(EMPORIUM_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="emporium.settings")
    import django

    django.setup()
    from emporium.catalog.models import Category, Item
    from emporium.catalog.search import SearchQuery, listed_ids, search_items
    from emporium.shops.models import Shop
    from emporium.storefront.listing import with_cover

    top = Category.objects.filter(parent=None).first()
    shop = Shop.objects.filter(status=Shop.Status.OPEN).first()
    ranked = (
        Item.objects.filter(status=Item.Status.ON_SALE)
        .order_by("-sales_count", "-id")
        .values_list("id", flat=True)[:48]
    )
    ids = list(ranked)
    sets = {
        "hot items: the order": ranked,
        "hot items: their cards": with_cover(Item.objects.visible().select_related("shop")).filter(
            id__in=ids
        ),
        "hot items: one query with the join (before)": with_cover(
            search_items(SearchQuery(sort="sales"))
        )[:24],
        "category (top level): the ids (listed_ids)": listed_ids(SearchQuery(category=top))[:24],
        "category (top level): page 50's ids": listed_ids(SearchQuery(category=top))[1176:1200],
        "category (top level): the count": listed_ids(SearchQuery(category=top)).values("id"),
        "category (top level): one query with the join (before)": with_cover(
            search_items(SearchQuery(category=top))
        )[:24],
        "shop": with_cover(search_items(SearchQuery(shop_id=shop.pk)))[:24],
        'search "dress"': with_cover(search_items(SearchQuery(text="dress")))[:24],
        'search "dress" by sales': with_cover(
            search_items(SearchQuery(text="dress", sort="sales"))
        )[:24],
        'search "连衣裙"': with_cover(search_items(SearchQuery(text="连衣裙")))[:24],
    }
    out = {}
    for name, qs in sets.items():
        sql, params = qs.query.sql_with_params()
        out[name] = (sql.replace("%s", "?"), list(params))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (VAR / "emporium.sqlite3").exists():
        sys.exit(f"No bench database in {VAR}: run bench/catalog.py first.")
    db = sqlite3.connect(VAR / "emporium.sqlite3")
    for name, (sql, params) in queries().items():
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            db.execute(sql, params).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:45s} {statistics.median(times):9.2f} ms")
        for step in plan:
            print(f"    {step}")


if __name__ == "__main__":
    main()
