"""CPU of item-page first visits in one process, on bench/catalog.py's var/bench (100,000 items).

    uv run python bench/item_first_visit.py [--pages 100] [--skip 300] [--profile]

Warms the page cache with 20 best sellers (the parts pages share: a shop's offers, the header),
then asks for `--pages` item pages never asked for before (best sellers from rank `--skip`), as
bench/catalog.py's *first visit* column does, and prints CPU ms per page; with `--profile`, the
Python function calls per page (deterministic, unlike time on a shared machine) and cProfile's
top functions. To compare with an older tree, run that tree's copy of this script with
BENCH_VAR_DIR pointing at this var/bench.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--skip", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.update(catalog.bench_env())
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    from emporium.catalog.models import Item

    ranked = Item.objects.filter(status=Item.Status.ON_SALE).order_by("-sales_count", "id")
    ids = list(ranked.values_list("public_id", flat=True)[: args.skip + args.pages])
    paths = [f"/item/{public_id}/" for public_id in ids]
    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=60):
        for path in paths[:20]:
            client.get(path)  # the shared parts, the templates, the connection
        todo = paths[args.skip :]
        profile = cProfile.Profile() if args.profile else None
        started = time.process_time()
        if profile:
            profile.enable()
        for path in todo:
            if (status := client.get(path).status_code) != 200:
                raise SystemExit(f"{path} answered {status}")
        if profile:
            profile.disable()
        elapsed = time.process_time() - started
    print(f"first visit: {elapsed * 1000 / len(todo):.2f} ms CPU per page over {len(todo)} pages")
    if profile:
        stats = pstats.Stats(profile)
        print(f"{stats.total_calls / len(todo):,.0f} Python function calls per page")  # type: ignore[attr-defined]
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
