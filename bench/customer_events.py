"""Storefront customer events: what POST /collect accepts on 2 cores, and what reaches the app.

    uv run python bench/customer_events.py [--seconds 15] [--concurrency 32]
                                           [--max-requests 30000] [--write-docs]

It builds a fresh marketplace in its own var dir (var/bench-customer-events, or
$BENCH_CE_VAR_DIR) in a child process: a shop with 50 items where an app holding
`analytics:read` is installed, and a second shop with 10 items and no such app. It starts
`uvicorn --workers 2` on a free loopback port with TRUSTED_PROXY_COUNT=1, so each request can
carry a different public visitor address in X-Forwarded-For (the GeoIP lookup and the visitor
hash run for real), and sends, with an ordinary browser's user agent, one after the other:

- beacon: one event per request, as collect.js mostly sends them (60 % page_viewed,
          35 % engaged_time, 5 % added_to_cart);
- batch:  ten such events per request (a page that queued several).

Four events in five are on the first shop's items, one in five on the second's. It prints
requests, errors, events/s, p50 and p99 of each; then, with the server stopped, runs
publish_batches() and counts the events in the outbox batches of the first shop, which must be
every event accepted for that shop (and the second shop must have none). Any answer other than
204, or an event accepted but not found in a batch, fails the run.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import WARM_UP_SECONDS, machine  # noqa: E402
from harness import (  # noqa: E402
    DOCS,
    PROJECT,
    free_port,
    fresh_var,
    percentile,
    replace_section,
    run_child,
    start_server,
    stop_server,
    wait_until_up,
    wrap,
)

VAR = Path(os.environ.get("BENCH_CE_VAR_DIR", PROJECT / "var" / "bench-customer-events")).resolve()
HEADING = "## Storefront customer events (issue 5)"
WORKERS = 2
BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        EMPORIUM_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        TRUSTED_PROXY_COUNT="1",
        API_CALL_LOG_THREAD="0",
    )
    return env


# --- inside Django, in child processes --------------------------------------------------------


def prepare() -> dict:
    """A fresh database: two shops with items; an analytics app installed on the first."""
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.ecosystem.installations import installed
    from emporium.members.models import Member
    from emporium.shops.services import open_shop

    call_command("migrate", verbosity=0)
    password = secrets.token_hex(8)
    dresses = Category.objects.get(slug="dresses")
    shops = []
    for name, count in (("Bench shop", 50), ("Other shop", 10)):
        seller = Member.objects.create_user(f"seller-{len(shops)}", password=password)
        shop = open_shop(seller, name=name)
        items = []
        for n in range(count):
            item = catalog.create_item(
                shop, title=f"Linen dress no. {n}", category=dresses, option_names=[],
                skus=[catalog.SkuSpec(options={}, price=Decimal("199.00"), stock=100)],
                status=Item.Status.ON_SALE,
            )  # fmt: skip
            items.append({"id": str(item.public_id), "sku": item.skus.get().pk})
        shops.append({"pk": shop.pk, "id": str(shop.public_id), "items": items})
    developer = Member.objects.create_user("bench-dev", password=password, is_developer=True)
    app = get_application_model().objects.create(
        name="Bench statistics", user=developer, client_type="confidential",
        authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1/cb",
    )  # fmt: skip
    from emporium.shops.models import Shop

    installed(app, Shop.objects.get(pk=shops[0]["pk"]), ["analytics:read", "items:read"])
    return {"shops": shops}


def publish(shops: list[int]) -> dict:
    """Run the batcher as the worker would, and count what each shop's batches hold."""
    import django

    django.setup()
    from emporium.customer_events.batches import publish_batches
    from emporium.customer_events.models import CustomerEvent
    from emporium.events.models import Event

    started = time.perf_counter()
    batches = publish_batches(max_batches=10**6)
    elapsed = time.perf_counter() - started
    in_batches, sizes = {}, []
    for pk in shops:
        events = Event.objects.filter(topic="customer_events.collected", shop_id=pk)
        counts = [len(e.data["events"]) for e in events]
        in_batches[str(pk)] = sum(counts)
        sizes += counts
    return {
        "batches": batches,
        "seconds": elapsed,
        "in_batches": in_batches,
        "largest_batch": max(sizes, default=0),
        "stored": CustomerEvent.objects.count(),
        "regions": CustomerEvent.objects.exclude(country="").count(),
    }


# --- load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    per_request: int
    requests: int = 0
    events: int = 0  # accepted, as the collector's header counted them
    seconds: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    by_shop: Counter[int] = field(default_factory=Counter)  # events sent, per shop pk

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(sorted(self.latencies), p / 100) * 1000


def random_event(rng: random.Random, shops: list[dict]) -> tuple[int, dict]:
    shop = shops[0] if rng.random() < 0.8 else shops[1]
    item = rng.choice(shop["items"])
    page = {"type": "item", "path": f"/item/{item['id']}/", "item_id": item["id"],
            "shop_id": shop["id"]}  # fmt: skip
    event = {"page_view_id": uuid.UUID(int=rng.getrandbits(128)).hex[:24],
             "session_id": f"s{rng.getrandbits(48):012x}", "page": page}  # fmt: skip
    kind = rng.random()
    if kind < 0.60:
        event.update(type="page_viewed", referrer="https://www.baidu.com/s?wd=dress",
                     utm={"source": "newsletter"} if rng.random() < 0.1 else None)  # fmt: skip
    elif kind < 0.95:
        event.update(type="engaged_time", engaged_ms=rng.randint(500, 120_000))
    else:
        event.update(type="added_to_cart", item_id=item["id"], sku_id=item["sku"], quantity=1)
    return shop["pk"], event


def public_ip(rng: random.Random) -> str:
    # Addresses from a few Chinese and other public blocks, so GeoIP finds most of them.
    first = rng.choice([1, 14, 27, 36, 58, 101, 113, 114, 119, 180, 183, 202, 220, 223, 8, 24])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


async def drive(
    client: httpx.AsyncClient, result: Result, shops: list[dict], *, seconds: float,
    max_requests: int, concurrency: int, rng: random.Random,
) -> Result:  # fmt: skip
    """`concurrency` clients in a loop, each posting its next batch when the last one answers."""
    deadline = time.perf_counter() + seconds

    async def client_loop() -> None:
        while result.requests < max_requests and time.perf_counter() < deadline:
            result.requests += 1
            picked = [random_event(rng, shops) for _ in range(result.per_request)]
            body = json.dumps({"events": [event for _pk, event in picked]})
            headers = {"X-Forwarded-For": public_ip(rng), "Content-Type": "text/plain"}
            started = time.perf_counter()
            try:
                response = await client.post("/collect", content=body, headers=headers)
                outcome = str(response.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            if outcome != "204":
                result.errors[outcome] += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            result.events += int(response.headers["Emporium-Events-Accepted"])
            result.by_shop.update(pk for pk, _event in picked)

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


async def measure(base_url: str, shops: list[dict], args: argparse.Namespace) -> list[Result]:
    rng = random.Random(1)
    n = args.concurrency
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    load = {"concurrency": n, "rng": rng}
    results = []
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=30, headers={"User-Agent": BROWSER_UA}
    ) as client:
        for name, per_request in (
            ("beacon (1 event/request)", 1),
            ("batch (10 events/request)", 10),
        ):
            warm = await drive(client, Result(name, per_request), shops, seconds=WARM_UP_SECONDS,
                               max_requests=10**9, **load)  # fmt: skip
            result = await drive(client, Result(name, per_request), shops, seconds=args.seconds,
                                 max_requests=args.max_requests, **load)  # fmt: skip
            result.by_shop.update(warm.by_shop)  # warm-up events are stored and published too
            result.errors.update(warm.errors)
            print(format_row(result), flush=True)
            results.append(result)
    return results


# --- report ----------------------------------------------------------------------------------------


def format_header() -> str:
    names = f"| {'scenario':<26} | requests | events | errors | events/s | p50 ms | p99 ms |"
    return names + "\n|" + "-" * 28 + "|---------:|-------:|-------:|---------:|-------:|-------:|"


def format_row(r: Result) -> str:
    return (
        f"| {r.name:<26} | {r.requests:>8,} | {r.events:>6,} | {r.errors.total():>6} "
        f"| {r.rate:>8,.0f} | {r.percentile(50):>6.1f} | {r.percentile(99):>6.1f} |"
    )


def write_docs(results: list[Result], args: argparse.Namespace, notes: dict) -> None:
    command = (
        f"uv run python bench/customer_events.py --seconds {args.seconds:g} "
        f"--concurrency {args.concurrency} --max-requests {args.max_requests} --write-docs"
    )
    pub = notes["published"]
    blocks = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with:",
        f"```\n{command}\n```",
        f"**Machine.** {notes['machine']}. One-minute load average {notes['load_before']:.1f} "
        f"before the run and {notes['load_after']:.1f} at its end. The load generator (httpx, "
        f"{args.concurrency} keep-alive clients) shares the {os.cpu_count()} cores with the "
        "server's 2 workers, so the figures are a floor."
        + (
            " Other work was using the machine at the time, so repeat on a quiet machine "
            "before comparing the figures with others."
            if notes["load_before"] > 1
            else ""
        ),
        f"**Setup.** A fresh SQLite database (WAL) in `var/bench-customer-events`: a shop of 50 "
        "items with an app holding `analytics:read` installed, and a shop of 10 items without. "
        f"`uvicorn emporium.asgi:application --workers {WORKERS}`, DEBUG off, "
        "`TRUSTED_PROXY_COUNT=1` with a random public address in `X-Forwarded-For` per request "
        "and a browser's user agent, so each request runs the bot check, a DB-IP City Lite "
        "lookup (memory-mapped mmdb), the daily-salted visitor hash and the validation of every "
        "event, then one INSERT of the batch. Events: 60 % `page_viewed`, 35 % `engaged_time`, "
        "5 % `added_to_cart` (which checks its SKU in the database), on item pages (item → shop "
        f"lookups cached per process); 80 % on the first shop. Each scenario: "
        f"{WARM_UP_SECONDS:g} s warm-up, then {args.seconds:g} s or {args.max_requests:,} "
        "requests.",
        format_header() + "\n" + "\n".join(format_row(x) for x in results),
        f"**What reaches the app.** After the load, `publish_batches()` wrote {pub['batches']:,} "
        f"`customer_events.collected` outbox events in {pub['seconds']:.1f} s "
        f"({notes['publish_rate']:,.0f} events/s; largest batch {pub['largest_batch']}). The "
        f"installed shop's batches hold {notes['delivered']:,} events: every one of the "
        f"{notes['expected']:,} the collector accepted for that shop. The other shop's batches "
        f"hold {notes['other']} (no app with `analytics:read`). {pub['regions']:,} of the "
        f"{pub['stored']:,} stored events got a region from the GeoIP database.",
    ]
    section = "\n\n".join(wrap(block) for block in blocks)
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    DOCS.write_text(replace_section(text, HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


# --- main ------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=30_000, help="per scenario")
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    parser.add_argument("--child", choices=["prepare", "publish"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.child:
        sys.path.insert(0, str(PROJECT))
        step = {"prepare": prepare, "publish": publish}[args.child]
        print(json.dumps(step(**json.loads(args.child_args))))
        return 0
    fresh_var(VAR)
    print(f"Preparing two shops in {VAR}…", flush=True)
    shops = run_child(__file__, "prepare", bench_env())["shops"]
    notes: dict = {"machine": machine(), "load_before": os.getloadavg()[0]}
    port = free_port()
    server = start_server(port, bench_env(), WORKERS)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, server)
        print(f"Machine: {notes['machine']}; load average {notes['load_before']:.1f}")
        print("Note: the load generator shares these cores with the server.")
        print(format_header())
        results = asyncio.run(measure(base_url, shops, args))
    finally:
        stop_server(server)
    notes["load_after"] = os.getloadavg()[0]
    errors = sum((r.errors for r in results), Counter())
    if errors:
        kinds = ", ".join(f"{n} × {kind}" for kind, n in errors.most_common())
        print(f"FAILED: answers other than 204: {kinds}", file=sys.stderr)
        return 1
    first, other = shops[0]["pk"], shops[1]["pk"]
    pub = notes["published"] = run_child(__file__, "publish", bench_env(), shops=[first, other])
    notes["expected"] = sum(r.by_shop[first] for r in results)
    notes["delivered"] = pub["in_batches"][str(first)]
    notes["other"] = pub["in_batches"][str(other)]
    notes["publish_rate"] = notes["delivered"] / pub["seconds"] if pub["seconds"] else 0.0
    print(
        f"publish_batches(): {pub['batches']:,} batches in {pub['seconds']:.1f} s; the app's "
        f"shop: {notes['delivered']:,} events in batches of {notes['expected']:,} accepted; "
        f"the other shop: {notes['other']}. Regions found for {pub['regions']:,} of "
        f"{pub['stored']:,} events."
    )
    if notes["delivered"] != notes["expected"] or notes["other"]:
        print(
            "FAILED: the batches do not hold exactly the installed shop's events.", file=sys.stderr
        )
        return 1
    if args.write_docs:
        write_docs(results, args, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
