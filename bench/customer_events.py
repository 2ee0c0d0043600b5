"""Storefront customer events: what POST /collect accepts on 2 cores, and that none is lost.

    uv run python bench/customer_events.py [--seconds 10] [--concurrency 32] [--workers 1,2]
                                           [--threads 1] [--write-docs]

It builds a fresh marketplace in its own var dir (var/bench-customer-events, or
$BENCH_CE_VAR_DIR) in a child process: a shop with 50 items where an app holding
`analytics:read` is installed, and a second shop with 10 items and no such app. For each worker
count it starts the server as `emporium serve` does (granian over WSGI, `--threads` WSGI threads
per worker, 1 as `WEB_THREADS` defaults to) on a free loopback port with
TRUSTED_PROXIES=127.0.0.1, so
each request can carry a different public visitor address in X-Forwarded-For (the GeoIP lookup
and the visitor hash run for real), and drives it with `wrk` (bench/wrk_pool.py: a Lua script
cycling through 4,000 prepared requests, each from its own address, with a browser's user agent):

- beacon: one event per request, as collect.js mostly sends them (60 % page_viewed,
          35 % engaged_time, 5 % added_to_cart);
- batch:  ten such events per request (a page that queued several).

Four events in five are on the first shop's items, one in five on the second's. It prints
requests, errors (any answer but 204, and wrk's socket errors), events/s, p50 and p99 of each;
then, with the servers stopped, drains the journals and runs publish_batches(), and checks that
the database holds every event answered 204 and that the first shop's batches hold every event
stored for it (the second shop must have none). kill -9 right after a 204 is tested in
emporium/customer_events/tests/test_crash.py.
"""

import argparse
import json
import os
import random
import secrets
import shutil
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wrk_pool  # noqa: E402
from catalog import WARM_UP_SECONDS, machine  # noqa: E402
from harness import (  # noqa: E402
    DOCS,
    PROJECT,
    free_port,
    fresh_var,
    replace_section,
    run_child,
    start_server,
    stop_server,
    wait_until_up,
    wrap,
)
from wrk_pool import Request  # noqa: E402

VAR = Path(os.environ.get("BENCH_CE_VAR_DIR", PROJECT / "var" / "bench-customer-events")).resolve()
HEADING = "## Storefront customer events (issue 5)"
WORKERS = 2
POOL_SIZE = 4000  # different requests wrk cycles through (one visitor address each)
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
        TRUSTED_PROXIES="127.0.0.1,::1",
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
    """Drain the journals and run the batcher as the dispatcher would; count what each shop's
    batches hold."""
    import django

    django.setup()
    from emporium.customer_events import journal
    from emporium.customer_events.batches import publish_batches
    from emporium.customer_events.models import CustomerEvent
    from emporium.events.models import Event

    started = time.perf_counter()
    drained = journal.drain()
    batches = publish_batches(max_batches=10**6)
    elapsed = time.perf_counter() - started
    in_batches, stored_per_shop = {}, {}
    for pk in shops:
        events = Event.objects.filter(topic="customer_events.collected", shop_id=pk)
        in_batches[str(pk)] = sum(len(e.data["events"]) for e in events)
        stored_per_shop[str(pk)] = CustomerEvent.objects.filter(shop_id=pk).count()
    return {
        "drained": drained,
        "batches": batches,
        "seconds": elapsed,
        "in_batches": in_batches,
        "stored_per_shop": stored_per_shop,
        "stored": CustomerEvent.objects.count(),
    }


# --- load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    per_request: int
    workers: int
    requests: int = 0  # in the measured run
    events: int = 0  # accepted in the measured run, as the collector's header counted them
    seconds: float = 0.0
    p50: float = 0.0  # ms
    p99: float = 0.0
    answered: int = 0  # events accepted in the warm-up and the run: all must be stored
    cpu_ms: float = 0.0  # the server's CPU time per request
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def add(self, run: dict) -> None:
        """One wrk run's answers and socket errors (a warm-up's too)."""
        self.answered += run["counted"]
        for status, n in run["statuses"].items():
            if status != 204:
                self.errors[str(status)] += n
        for kind in ("connect", "read", "write", "timeout"):
            if run[kind]:
                self.errors[f"socket {kind}"] += run[kind]


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


def pool(base_url: str, shops: list[dict], per_request: int, rng: random.Random) -> list[Request]:
    """POOL_SIZE different requests, each from its own visitor address: wrk cycles through them,
    so no visitor comes near the collector's rate limit (60 batches a minute)."""
    headers = {"Content-Type": "text/plain", "Origin": base_url, "User-Agent": BROWSER_UA}
    requests = []
    for _ in range(POOL_SIZE):
        events = [random_event(rng, shops)[1] for _ in range(per_request)]
        body = json.dumps({"events": events})
        requests.append(
            Request("POST", "/collect", {**headers, "X-Forwarded-For": public_ip(rng)}, body)
        )
    return requests


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its children (the server's workers), from /proc:
    what a request costs whatever else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks
    family, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in family:
                family.add(pid)
                frontier.append(pid)
    return sum(times.get(pid, 0.0) for pid in family)


def measure(
    base_url: str, shops: list[dict], args: argparse.Namespace, workers: int, server_pid: int
) -> list[Result]:
    rng = random.Random(1)
    results = []
    for name, per_request in (("beacon (1 event/request)", 1), ("batch (10 events/request)", 10)):
        requests = pool(base_url, shops, per_request, rng)
        result = Result(name, per_request, workers)
        load = {"connections": args.concurrency, "count_header": "Emporium-Events-Accepted"}
        result.add(wrk_pool.run(base_url, requests, seconds=WARM_UP_SECONDS, **load))
        cpu_before = cpu_seconds(server_pid)
        run = wrk_pool.run(base_url, requests, seconds=args.seconds, **load)
        answered = sum(run["statuses"].values())
        result.cpu_ms = (cpu_seconds(server_pid) - cpu_before) * 1000 / max(answered, 1)
        result.add(run)
        result.requests, result.events = sum(run["statuses"].values()), run["counted"]
        result.seconds, result.p50, result.p99 = (
            run["seconds"],
            run["p50_us"] / 1e3,
            run["p99_us"] / 1e3,
        )
        print(format_row(result), flush=True)
        results.append(result)
    return results


# --- report ----------------------------------------------------------------------------------------


def format_header() -> str:
    names = (
        f"| {'scenario':<26} | workers | requests | events | errors | events/s | p50 ms | p99 ms "
        "| server CPU ms/request |"
    )
    rule = "|--------:|---------:|-------:|-------:|---------:|-------:|-------:|------:|"
    return names + "\n|" + "-" * 28 + rule


def format_row(r: Result) -> str:
    return (
        f"| {r.name:<26} | {r.workers:>7} | {r.requests:>8,} | {r.events:>6,} | {r.errors.total():>6} "
        f"| {r.rate:>8,.0f} | {r.p50:>6.1f} | {r.p99:>6.1f} | {r.cpu_ms:.2f} |"
    )


def write_docs(results: list[Result], args: argparse.Namespace, notes: dict) -> None:
    command = (
        f"uv run python bench/customer_events.py --seconds {args.seconds:g} "
        f"--concurrency {args.concurrency} --workers {args.workers} --threads {args.threads} "
        "--write-docs"
    )
    blocks = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with:",
        f"```\n{command}\n```",
        f"**Machine.** {notes['machine']}. One-minute load average {notes['load_before']:.1f} "
        f"before the run and {notes['load_after']:.1f} at its end. The load generator (`wrk`, "
        f"2 threads, {args.concurrency} connections, a Lua script cycling through {POOL_SIZE:,} "
        f"prepared requests) shares the {os.cpu_count()} cores with the server, so the figures "
        "are a floor."
        + (
            " Other work was using the machine at the time, so repeat on a quiet machine "
            "before comparing the figures with others."
            if notes["load_before"] > 1
            else ""
        ),
        "**Setup.** A fresh SQLite database (WAL) in `var/bench-customer-events`: a shop of 50 "
        "items with an app holding `analytics:read` installed, and a shop of 10 items without. "
        f"`emporium serve` (granian over WSGI) with `WEB_THREADS={args.threads}`, DEBUG off, "
        "`TRUSTED_PROXIES=127.0.0.1` with a "
        "random public address in `X-Forwarded-For` per request and a browser's user agent, so "
        "each request runs the bot check, the rate limit, a DB-IP City Lite lookup, the "
        "daily-salted visitor hash and the validation of every event. POST /collect is served by "
        "the fast path in front of Django (`customer_events/fastpath.py`), and a 204 is sent only once the "
        "events are fsynced in the process's journal (`customer_events/journal.py`, group "
        "commit); `publish_batches()` drains the journals into the database. Events: 60 % "
        "`page_viewed`, 35 % `engaged_time`, 5 % `added_to_cart`, 80 % on the first shop. Each "
        f"scenario: {WARM_UP_SECONDS:g} s warm-up, then {args.seconds:g} s.",
        format_header() + "\n" + "\n".join(format_row(x) for x in results),
        f"**Nothing lost.** {notes['answered']:,} events were answered 204 (warm-ups included); "
        f"after the server stopped, `publish_batches()` drained {notes['drained']:,} of them "
        f"from the journals, and the database holds {notes['stored']:,} (the difference: requests "
        "in flight when wrk stopped, stored but never seen answered). It wrote "
        f"{notes['batches']:,} `customer_events.collected` batches in {notes['publish_s']:.1f} s "
        f"holding {notes['delivered']:,} events: every one stored for the installed shop "
        f"({notes['expected']:,}); the other shop's batches hold {notes['other']}.",
    ]
    section = "\n\n".join(wrap(block) for block in blocks)
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    DOCS.write_text(replace_section(text, HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


# --- main ------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", default="1,2", help="server worker counts to run, e.g. 1,2")
    parser.add_argument(
        "--threads", type=int, default=1, help="WSGI threads per worker (WEB_THREADS)"
    )
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
    shutil.rmtree(VAR / "customer-events", ignore_errors=True)
    print(f"Preparing two shops in {VAR}…", flush=True)
    shops = run_child(__file__, "prepare", bench_env())["shops"]
    notes: dict = {"machine": machine(), "load_before": os.getloadavg()[0]}
    print(f"Machine: {notes['machine']}; load average {notes['load_before']:.1f}")
    print("Note: the load generator (wrk) shares these cores with the server.")
    print(format_header())
    results: list[Result] = []
    for workers in [int(n) for n in args.workers.split(",")]:
        port = free_port()
        server = start_server(port, {**bench_env(), "WEB_THREADS": str(args.threads)}, workers)
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base_url, server)
            results += measure(base_url, shops, args, workers, server.pid)
        finally:
            stop_server(server)
    notes["load_after"] = os.getloadavg()[0]
    errors = sum((r.errors for r in results), Counter())
    if errors:
        kinds = ", ".join(f"{n} × {kind}" for kind, n in errors.most_common())
        print(f"FAILED: answers other than 204: {kinds}", file=sys.stderr)
        return 1
    first, other = shops[0]["pk"], shops[1]["pk"]
    pub = run_child(__file__, "publish", bench_env(), shops=[first, other])
    notes.update(
        answered=sum(r.answered for r in results), drained=pub["drained"],
        stored=pub["stored"], batches=pub["batches"], publish_s=pub["seconds"],
        expected=pub["stored_per_shop"][str(first)], delivered=pub["in_batches"][str(first)],
        other=pub["in_batches"][str(other)],
    )  # fmt: skip
    print(
        f"Answered 204: {notes['answered']:,} events; drained from the journals: "
        f"{notes['drained']:,}; stored: {notes['stored']:,}. publish_batches(): "
        f"{pub['batches']:,} batches in {pub['seconds']:.1f} s; the app's shop: "
        f"{notes['delivered']:,} events in batches of {notes['expected']:,} stored; the other "
        f"shop: {notes['other']}."
    )
    # wrk stops with requests in flight: the server stored those, wrk never saw their 204.
    if notes["stored"] < notes["answered"]:
        print("FAILED: events answered 204 are missing from the database.", file=sys.stderr)
        return 1
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
