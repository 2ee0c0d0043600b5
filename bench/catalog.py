"""Load benchmark of the catalog: item pages and search at 100,000 items against a real server.

    uv run python bench/catalog.py [--items 100000] [--seconds 20] [--concurrency 32]
                                   [--max-requests 20000] [--write-docs]

It keeps its own var dir (var/bench, or $BENCH_VAR_DIR: SQLite database and pictures),
migrates and seeds it once and reuses it afterwards; starts `uvicorn emporium.asgi:application
--workers 2` on a free port of 127.0.0.1 with DEBUG off; then, per scenario, sends requests from
a bounded number of concurrent clients until the time or the request budget runs out, and prints
requests, errors, requests/s, p50 and p99. Any answer other than 200 fails the run. With
--write-docs the figures go into docs/performance.md. The load generator runs on the same
machine as the server and takes part of its cores, so the figures understate what the server
alone could do.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    DOCS,
    PROJECT,
    free_port,
    percentile,
    replace_section,
    start_server,
    stop_server,
    wait_until_up,
    wrap,
)

VAR = Path(os.environ.get("BENCH_VAR_DIR", PROJECT / "var" / "bench")).resolve()
DOCS_INTRO = (
    "# Performance\n\nMeasured figures, one section per measurement; each says how to repeat it.\n"
)
HEADING = "## Catalog: item page and search at 100,000 items (issue 2)"
WORKERS = 2  # uvicorn worker processes, one per core
HOT_ITEMS = 20_000  # item pages are drawn from this many best sellers, Zipf-like
WARM_UP_SECONDS = 2.0


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


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: Callable[[random.Random], str]  # draws the next path to request


def scenarios() -> list[Scenario]:
    from emporium.catalog.models import Category, Item
    from emporium.samples.words import LEAVES

    hot = list(
        Item.objects.filter(status=Item.Status.ON_SALE)
        .order_by("-sales_count", "id")
        .values_list("public_id", flat=True)[:HOT_ITEMS]
    )
    # Zipf's law with exponent 1: the item ranked r is asked for in proportion to 1/r.
    weights = list(_cumulative(1 / rank for rank in range(1, len(hot) + 1)))
    parents = dict(Category.objects.exclude(parent=None).values_list("slug", "parent__slug"))
    words = [(noun.split()[-1].lower(), parents[leaf.slug], leaf.price) for leaf in LEAVES
             for noun in leaf.words["noun"]]  # fmt: skip

    def item_page(rng: random.Random) -> str:
        return f"/item/{rng.choices(hot, cum_weights=weights)[0]}/"

    def search(rng: random.Random) -> str:
        word, _, _ = rng.choice(words)
        return "/search/?" + urlencode({"q": word, "sort": "relevance"})

    def search_filtered(rng: random.Random) -> str:
        word, parent, (low, high) = rng.choice(words)
        band = {"min_price": low, "max_price": (low + high) // 2}
        return "/search/?" + urlencode({"q": word, "category": parent, **band, "sort": "relevance"})

    return [
        Scenario("item page", item_page),
        Scenario("search", search),
        Scenario("search + category + price", search_filtered),
    ]


def _cumulative(values) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# --- load --------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int
    errors: Counter[str]
    seconds: float
    latencies: list[float]  # seconds, of the successful requests

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """In milliseconds."""
        return percentile(sorted(self.latencies), p / 100) * 1000


class BadAnswer(Exception):
    """A scenario got something other than 200: the page is broken, so its speed is meaningless."""


async def probe(client: httpx.AsyncClient, scenario: Scenario, rng: random.Random) -> None:
    for _ in range(5):
        path = scenario.paths(rng)
        try:
            response = await client.get(path)
        except httpx.HTTPError as error:
            raise BadAnswer(f"{scenario.name}: GET {path} got no answer: {error!r}") from None
        if response.status_code != 200:
            body = re.sub(r"\s+", " ", response.text)[:300]
            raise BadAnswer(f"{scenario.name}: GET {path} answered {response.status_code}: {body}")


async def drive(
    client: httpx.AsyncClient,
    scenario: Scenario,
    *,
    seconds: float,
    max_requests: int,
    concurrency: int,
    rng: random.Random,
) -> Result:
    """`concurrency` clients in a loop, each sending its next request when the last one answers."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()  # status code or exception name -> count
    sent = 0
    deadline = time.perf_counter() + seconds

    async def client_loop() -> None:
        nonlocal errors, sent
        while sent < max_requests and time.perf_counter() < deadline:
            sent += 1
            path = scenario.paths(rng)
            started = time.perf_counter()
            try:
                response = await client.get(path)
                outcome = str(response.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            if outcome == "200":
                latencies.append(time.perf_counter() - started)
            else:
                errors[outcome] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Result(scenario.name, len(latencies) + errors.total(), errors, elapsed, latencies)


async def run_load(base_url: str, plan: list[Scenario], args: argparse.Namespace) -> list[Result]:
    rng = random.Random(1)
    n = args.concurrency
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    results = []
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        for scenario in plan:
            await probe(client, scenario, rng)
            load = {"concurrency": args.concurrency, "rng": rng}
            await drive(client, scenario, seconds=WARM_UP_SECONDS, max_requests=10**9, **load)
            result = await drive(
                client, scenario, seconds=args.seconds, max_requests=args.max_requests, **load
            )
            print(format_row(result), flush=True)
            if result.errors:
                # Stop here: requests the clients gave up on still occupy the server and would
                # slow down the next scenario.
                kinds = ", ".join(f"{n} × {kind}" for kind, n in result.errors.most_common())
                raise BadAnswer(f"{scenario.name}: {kinds}")
            results.append(result)
    return results


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


def format_header() -> str:
    names = f"| {'scenario':<26} | requests | errors | req/s | p50 ms | p99 ms |"
    return names + "\n|" + "-" * 28 + "|---------:|-------:|------:|-------:|-------:|"


def format_row(r: Result) -> str:
    return (
        f"| {r.name:<26} | {r.requests:>8,} | {r.errors.total():>6} | {r.rate:>5.0f} "
        f"| {r.percentile(50):>6.1f} | {r.percentile(99):>6.1f} |"
    )


def dataset() -> dict[str, int]:
    """What the server is serving, for the report."""
    from emporium.catalog.models import Item, ItemImage, Sku

    return {
        "items": Item.objects.count(),
        "on_sale": Item.objects.filter(status=Item.Status.ON_SALE).count(),
        "skus": Sku.objects.count(),
        "images": ItemImage.objects.count(),
        "files": ItemImage.objects.values("key").distinct().count(),
        "megabytes": round((VAR / "emporium.sqlite3").stat().st_size / 2**20),
    }


def write_docs(results: list[Result], args: argparse.Namespace, notes: dict) -> None:
    command = (
        f"uv run python bench/catalog.py --items {args.items} --seconds {args.seconds:g} "
        f"--concurrency {args.concurrency} --max-requests {args.max_requests} --write-docs"
    )
    blocks = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with:",
        f"```\n{command}\n```",
        _machine_paragraph(notes),
        _data_paragraph(notes["data"], notes["seed"]),
        f"**Server.** `uvicorn emporium.asgi:application --workers {WORKERS}`, DEBUG off, "
        "SQLite (WAL) in `var/bench`.",
        f"**Load.** {args.concurrency} concurrent keep-alive clients (httpx), {args.seconds:g} s "
        f"per scenario after a {WARM_UP_SECONDS:g} s warm-up, at most {args.max_requests:,} "
        f"requests. Item pages are drawn Zipf-like (rank r asked for in proportion to 1/r) from "
        f"the {HOT_ITEMS:,} best sellers; searches use one title word (`dress`, `boots`, `tea`, "
        "...) sorted by relevance, and the variant adds the word's top-level category and a "
        "price band.",
        format_header() + "\n" + "\n".join(format_row(r) for r in results),
        f"**Reading the figures.** With {args.concurrency} clients always waiting, a request "
        "spends most of its time in the queue: p50 is close to clients ÷ throughput. What a "
        "request costs the server is at most workers ÷ throughput: "
        + ", ".join(f"{r.name} {WORKERS * 1000 / r.rate:.0f} ms" for r in results if r.rate)
        + ".",
        "**Planner statistics.** The seeder runs `ANALYZE` after loading. Without statistics "
        "SQLite drove the search's count query from the `status` index and probed the full-text "
        "index once per item: 16 s per search at 100,000 items, and every search request of the "
        "first run timed out. A database that grows through normal use needs fresh statistics "
        "too: the worker runs `PRAGMA optimize` (SQLite) or `ANALYZE catalog_item` (PostgreSQL) "
        "every night (`emporium/catalog/tasks.py`).",
    ]
    section = "\n\n".join(wrap(block) for block in blocks)
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    text = DOCS.read_text() if DOCS.exists() else DOCS_INTRO
    DOCS.write_text(replace_section(text, HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


def _machine_paragraph(notes: dict) -> str:
    before, after = notes["load_before"], notes["load_after"]
    text = (
        f"**Machine.** {notes['machine']}. The load generator runs on the same "
        f"{os.cpu_count()} cores as the server, so it takes CPU the server would otherwise have: "
        f"the figures are a floor, not a ceiling. One-minute load average {before:.1f} before "
        f"the run and {after:.1f} at its end (the bench itself accounts for about 3)."
    )
    if max(before, after) > 4:
        text += (
            " Other work was running on the machine at the time, so repeat on a quiet machine "
            "before comparing figures."
        )
    return text


def _data_paragraph(data: dict[str, int], seed: dict | None) -> str:
    text = (
        f"**Data.** {data['items']:,} demo items ({data['on_sale']:,} on sale) with "
        f"{data['skus']:,} SKUs and {data['images']:,} item pictures ({data['files']:,} distinct "
        f"picture files); the SQLite database is {data['megabytes']:,} MB."
    )
    if seed and seed["from_items"] == 0:
        return text + (
            f" Seeding them into an empty database (`seed_demo(items={seed['items']})`, "
            f"pictures drawn with Pillow on the same machine) took **{seed['seconds']:.0f} s**."
        )
    return text + " The seed time was not recorded: the bench did not seed this database."


# --- main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=20_000, help="per scenario")
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    (VAR / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT; whitenoise warns if absent
    prepare(args.items)
    seed_file = VAR / "seed.json"
    seed = json.loads(seed_file.read_text()) if seed_file.is_file() else None
    # The ORM is synchronous: read everything from the database before the event loop starts.
    plan = scenarios()
    notes = {"seed": seed, "data": dataset(), "machine": machine()}
    port = free_port()
    server = start_server(port, bench_env(), WORKERS)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, server)
        notes["load_before"] = os.getloadavg()[0]
        print(f"Machine: {notes['machine']}; load average {notes['load_before']:.1f}")
        print("Note: the load generator shares these cores with the server.")
        print(format_header())
        results = asyncio.run(run_load(base_url, plan, args))
    except BadAnswer as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        stop_server(server)
    notes["load_after"] = os.getloadavg()[0]
    print(f"Load average at the end: {notes['load_after']:.1f}")
    if args.write_docs:
        write_docs(results, args, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
