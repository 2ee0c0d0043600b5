"""The storefront at 100,000 items, loaded by wrk: item page, home, category, shop page, search.

    uv run python bench/catalog.py [--items 100000] [--seconds 10] [--connections 32]
                                   [--workers 1,2] [--server granian|uvicorn]
                                   [--renders 300] [--redis URL] [--write-docs]

It keeps its own var dir (var/bench, or $BENCH_VAR_DIR): the SQLite database is migrated and
seeded once (bulk inserts, `seed_demo`) and reused by every later run, so a rerun goes straight
to the load. It first times the views in-process with Django's test client (`--renders` each,
the anonymous page served from the page cache and rendered afresh), then, for each worker count
in `--workers`, starts the server the way `emporium serve` does (emporium/serving.py) on a free
loopback port with DEBUG off and drives it with `wrk` (installed with apt-get when missing):
first the floor — `GET /healthz` on the same server, no view work — then every scenario, each
after a short warm-up. It prints requests/s, p50, p99, errors and each scenario's ratio to the
floor, and the scaling from one worker to two. Failed connections, timeouts and answers other
than 2xx/3xx are counted and reported, never a crash. wrk runs on the same cores as the server,
so the figures are a floor of what the server alone could do.
"""

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    DOCS,
    FLOOR_PATH,
    PROJECT,
    Load,
    free_port,
    load_average,
    load_table,
    replace_section,
    run_wrk,
    start_server,
    stop_server,
    wait_until_up,
    wrap,
    wrk_version,
)

VAR = Path(os.environ.get("BENCH_VAR_DIR", PROJECT / "var" / "bench")).resolve()
DOCS_INTRO = (
    "# Performance\n\nMeasured figures, one section per measurement; each says how to repeat it.\n"
)
HEADING = "## Storefront at 100,000 items (issue 21)"
HOT_ITEMS = 20_000  # item pages are drawn from this many best sellers, Zipf-like
ITEM_PATHS = 5_000  # distinct draws handed to wrk, requested in turn
WARM_UP_SECONDS = 2.0
HOT_SCENARIO = "item page (50 best sellers)"
WARM_UPS = {HOT_SCENARIO: 15.0}  # seconds, where 2 s would not fill the cache


def bench_env() -> dict[str, str]:
    """The server's and the seeder's environment: embedded defaults, our own var dir, no debug."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        EMPORIUM_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    return env


# --- data --------------------------------------------------------------------------------------


def prepare(items: int) -> float | None:
    """Migrate and seed var/bench up to `items`; the seed time when it seeded, else None."""
    os.environ.update(bench_env())
    import django

    django.setup()
    from django.core.management import call_command

    from emporium.catalog.models import Item
    from emporium.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    have = Item.objects.count()
    if have >= items:
        return None
    started = time.perf_counter()
    seed_demo(items=items)
    seconds = time.perf_counter() - started
    record = {"items": items, "from_items": have, "seconds": round(seconds, 1)}
    (VAR / "seed.json").write_text(json.dumps(record))
    print(f"Seeded {items - have:,} items (to {items:,}) in {seconds:.0f} s.")
    return seconds


def scenarios() -> dict[str, list[str]]:
    """Scenario name -> the paths wrk requests in turn."""
    from emporium.catalog.models import Category, Item
    from emporium.shops.models import Shop

    hot = list(
        Item.objects.filter(status=Item.Status.ON_SALE)
        .order_by("-sales_count", "id")
        .values_list("public_id", flat=True)[:HOT_ITEMS]
    )
    # Zipf's law with exponent 1: the item ranked r is asked for in proportion to 1/r.
    weights = list(_cumulative(1 / rank for rank in range(1, len(hot) + 1)))
    rng = random.Random(1)
    items = [
        f"/item/{public_id}/" for public_id in rng.choices(hot, cum_weights=weights, k=ITEM_PATHS)
    ]
    top = list(Category.objects.filter(parent=None).values_list("slug", flat=True))
    shops = list(Shop.objects.filter(status=Shop.Status.OPEN).values_list("slug", flat=True))
    return {
        "item page": items,
        # The same page where the cache is warm: the 50 best sellers, which take 43 % of the
        # Zipf draws above. The run above starts with every worker's cache empty, and a 10 s run
        # of 5,000 draws is mostly first visits, each rendered afresh; this one is warmed up
        # until each worker has rendered each page (WARM_UPS).
        HOT_SCENARIO: [f"/item/{public_id}/" for public_id in hot[:50]],
        "home": ["/"],
        "category": [f"/c/{slug}/" for slug in top],
        "shop page": [f"/shop/{slug}/" for slug in shops],
        'search "dress"': ["/search/?q=dress"],
    }


def _cumulative(values) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# --- in-process --------------------------------------------------------------------------------


def in_process(plan: dict[str, list[str]], renders: int) -> dict[str, dict[str, float]]:
    """Milliseconds per anonymous view with Django's test client over each scenario's first 20
    paths: served from the page cache (warm), and rendered afresh (the cache off); where the
    scenario has enough distinct paths (item pages), also a first visit with the cache on: a
    page never asked for before, the parts it shares with other pages (storefront/shared.py)
    already kept, as a server sees most draws of the Zipf run."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    figures: dict[str, dict[str, float]] = {}
    asked: set[str] = set()  # by any scenario before: in the cache
    for name, all_paths in plan.items():
        paths = all_paths[:20]
        asked.update(paths)
        unseen = list(dict.fromkeys(p for p in all_paths if p not in asked))
        figures[name] = {}
        for label, seconds in (("cached", 60), ("first", 60), ("fresh", 0)):
            count = renders if label == "cached" else max(5, renders // 10)  # renders are slow
            if label == "first" and len(unseen) < count:
                continue
            with override_settings(PAGE_CACHE_SECONDS=seconds):
                for path in paths:
                    client.get(path)  # warm the cache, the templates, the connection
                todo = (
                    unseen[:count]
                    if label == "first"
                    else [paths[n % len(paths)] for n in range(count)]
                )
                asked.update(todo)
                with CaptureQueriesContext(connection) as queries:
                    # CPU time of this process: what the view costs, whatever else the machine runs.
                    started = time.process_time()
                    for path in todo:
                        if (status := client.get(path).status_code) != 200:
                            raise SystemExit(f"{name}: {path} answered {status}")
                    elapsed = time.process_time() - started
            figures[name][label] = elapsed * 1000 / count
            figures[name][label + " queries"] = len(queries) / count
    return figures


def in_process_table(figures: dict[str, dict[str, float]]) -> str:
    lines = [
        "| view (anonymous) | from the page cache ms | queries | first visit ms | queries "
        "| cache off ms | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in figures.items():
        first = f"{f['first']:.2f} | {f['first queries']:.1f}" if "first" in f else "– | –"
        lines.append(
            f"| {name} | {f['cached']:.2f} | {f['cached queries']:.1f} | {first} "
            f"| {f['fresh']:.2f} | {f['fresh queries']:.1f} |"
        )
    return "\n".join(lines)


# --- load --------------------------------------------------------------------------------------


def check_pages(base_url: str, plan: dict[str, list[str]]) -> list[str]:
    """Each scenario's first paths answer 200; what did not, as notes (the run goes on)."""
    problems = []
    for name, paths in plan.items():
        for path in paths[:3]:
            try:
                status = httpx.get(base_url + path, timeout=30).status_code
            except httpx.HTTPError as error:
                problems.append(f"{name}: GET {path} got no answer ({type(error).__name__})")
                continue
            if status != 200:
                problems.append(f"{name}: GET {path} answered {status}")
    return problems


def load_server(
    workers: int, plan: dict[str, list[str]], args: argparse.Namespace
) -> tuple[Load, dict[str, Load], list[str]]:
    """One server with `workers` processes: the floor, then each scenario."""
    port = free_port()
    env = bench_env()
    if args.redis:
        # The workers share one page cache; emptied first, so each run starts cold as without.
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis
    server = start_server(port, env, workers, args.server)
    base_url = f"http://127.0.0.1:{port}"
    load = {"connections": args.connections, "threads": 2}
    try:
        wait_until_up(base_url, server)
        problems = check_pages(base_url, plan)
        run_wrk("warm-up", base_url, [FLOOR_PATH], seconds=WARM_UP_SECONDS, **load)
        floor = run_wrk("floor", base_url, [FLOOR_PATH], seconds=args.seconds, **load)
        print(
            f"  {workers} worker(s): floor (GET {FLOOR_PATH}) {floor.rate:,.0f} req/s", flush=True
        )
        results = {}
        for name, paths in plan.items():
            warm_up = WARM_UPS.get(name, WARM_UP_SECONDS)
            run_wrk("warm-up", base_url, paths, seconds=warm_up, **load)
            results[name] = run_wrk(name, base_url, paths, seconds=args.seconds, **load)
            r = results[name]
            print(
                f"  {workers} worker(s): {name}: {r.rate:,.0f} req/s, p50 {r.p50_ms:.1f} ms, "
                f"p99 {r.p99_ms:.1f} ms, errors {r.errors_text()}, "
                f"{r.rate / floor.rate if floor.rate else 0:.2f} × floor {r.note}",
                flush=True,
            )
    finally:
        stop_server(server)
    return floor, results, problems


# --- report ------------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else model
    return (
        f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def dataset() -> dict[str, int]:
    """What the server is serving, for the report."""
    from emporium.catalog.models import Item, ItemImage, Sku

    return {
        "items": Item.objects.count(),
        "on_sale": Item.objects.filter(status=Item.Status.ON_SALE).count(),
        "skus": Sku.objects.count(),
        "images": ItemImage.objects.count(),
        "megabytes": round((VAR / "emporium.sqlite3").stat().st_size / 2**20),
    }


def load_tables(runs: dict[int, tuple[Load, dict[str, Load], list[str]]]) -> str:
    blocks = []
    for workers, (floor, results, _) in runs.items():
        rows = [(f"floor (`GET {FLOOR_PATH}`)", floor, floor)]
        rows += [(name, load, floor) for name, load in results.items()]
        blocks.append(f"**{workers} worker(s)**\n\n" + load_table(rows))
    if 1 in runs and 2 in runs:
        lines = ["| scenario | 2 workers ÷ 1 worker |", "|---|---:|"]
        one, two = runs[1], runs[2]
        pairs = [("floor", one[0], two[0])] + [
            (name, one[1][name], two[1][name]) for name in one[1]
        ]
        for name, a, b in pairs:
            lines.append(f"| {name} | {b.rate / a.rate if a.rate else 0:.2f} |")
        blocks.append("**Scaling**\n\n" + "\n".join(lines))
    return "\n\n".join(blocks)


def write_docs(args: argparse.Namespace, notes: dict) -> None:
    command = (
        f"uv run python bench/catalog.py --items {args.items} --seconds {args.seconds:g} "
        f"--connections {args.connections} --workers {args.workers} --server {notes['server']} "
        f"--renders {args.renders} --write-docs"
    )
    data = notes["data"]
    blocks = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with:",
        f"```\n{command}\n```",
        f"**Machine.** {notes['machine']}; {notes['wrk']}. Load average {notes['load_before']} "
        f"before the run and {notes['load_after']} at its end: the machine was shared with other "
        "work, so read ratios measured in the same run before absolute figures.",
        f"**Data.** {data['items']:,} demo items ({data['on_sale']:,} on sale), {data['skus']:,} "
        f"SKUs, {data['images']:,} item pictures; SQLite (WAL) database of "
        f"{data['megabytes']:,} MB in `var/bench`, seeded once and reused.",
        f"**Server.** `emporium serve` as configured in `emporium/serving.py`: "
        f"{notes['server']}, DEBUG off. **Load.** `wrk` with {args.connections} keep-alive "
        f"connections and 2 threads, {args.seconds:g} s per scenario after {WARM_UP_SECONDS:g} s "
        f"of warm-up ({WARM_UPS[HOT_SCENARIO]:g} s for the {HOT_SCENARIO}); item pages drawn "
        f"Zipf-like from the {HOT_ITEMS:,} best sellers; categories "
        "are the top-level ones, shops the demo's open shops. No cookies: anonymous visitors.",
        "**In-process** (Django test client, anonymous, CPU milliseconds of the process per "
        f"request, the test client's own work included; {args.renders} requests from the cache "
        "and a tenth as many rendered afresh, over each scenario's first 20 paths; *first visit*:"
        " a tenth as many pages never asked for before, with the cache on, the parts they"
        " share with other pages already kept):",
        in_process_table(notes["in_process"]),
        *load_tables(notes["runs"]).split("\n\n"),  # each table a block of its own
    ]
    problems = [p for run in notes["runs"].values() for p in run[2]]
    if problems:
        blocks.append("**Pages that did not answer 200 before the load:** " + "; ".join(problems))
    section = "\n\n".join(wrap(block) for block in blocks)
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    text = DOCS.read_text() if DOCS.exists() else DOCS_INTRO
    DOCS.write_text(replace_section(text, HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


# --- main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10, help="per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--server", default=None, help="granian (default) or uvicorn")
    parser.add_argument("--renders", type=int, default=300, help="in-process renders per view")
    parser.add_argument("--only", default="", help="comma-separated scenario names to run")
    parser.add_argument(
        "--redis", default="", help="a Redis URL (its database is emptied): the shared caches"
    )
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    (VAR / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT; whitenoise warns if absent
    prepare(args.items)
    from emporium.serving import DEFAULT_SERVER

    plan = scenarios()
    if args.only:
        wanted = set(args.only.split(","))
        plan = {name: paths for name, paths in plan.items() if name in wanted}
    notes: dict = {"data": dataset(), "machine": machine(), "wrk": wrk_version()}
    notes["server"] = args.server or os.environ.get("WEB_SERVER") or DEFAULT_SERVER
    notes["load_before"] = load_average()
    print(f"Machine: {notes['machine']}; load average {notes['load_before']}")
    notes["in_process"] = in_process(plan, args.renders) if args.renders else {}
    if notes["in_process"]:
        print(in_process_table(notes["in_process"]), flush=True)
    from django.db import connections

    connections.close_all()  # the servers get the database to themselves
    notes["runs"] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        notes["runs"][workers] = load_server(workers, plan, args)
    notes["load_after"] = load_average()
    print(load_tables(notes["runs"]))
    print(f"Load average at the end: {notes['load_after']}")
    if args.write_docs:
        write_docs(args, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
