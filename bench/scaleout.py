"""The scale-out run: PostgreSQL + Redis, several web workers, two worker processes, storefront
and checkout load together for a few minutes (issue 21, goal 7; the recipe is docs/deploy.md).

    uv run python bench/scaleout.py [--items 20000] [--seconds 180] [--web-workers 2]
                                    [--storefront-connections 32] [--checkout-connections 8]
                                    [--buyers 200] [--hot-units 30] [--write-docs]

It seeds the PostgreSQL database $BENCH_PG_DATABASE (default `scaleout`, on 127.0.0.1 as user
postgres) with `--items` demo items once (later runs reuse them), and makes for this run a
seller whose shop sells one scarce SKU (`--hot-units`) and a few plentiful ones, an installed
app whose webhook endpoint (a local receiver, bench/webhook_receiver.py) takes order.created and
order.paid, and `--buyers` logged-in buyers (sessions and CSRF tokens made beforehand, wallets
funded through the sandbox provider; a fifth of them race for the scarce SKU).

Then it starts the platform as docs/deploy.md says — `emporium serve --workers N` (granian WSGI)
and two `emporium worker` processes (queue consumer + outbox/webhook dispatcher each), with
REDIS_URL (cache, page cache, queue, rate limits) on Redis db $BENCH_REDIS_DB (default 5,
flushed) — measures the floor (`GET /healthz`) alone, then runs three wrk streams at once:

- storefront: anonymous item pages (Zipf over the best sellers), home, categories, shop pages
  and searches, in a fixed shuffled mix;
- checkout: bench/scaleout_checkout.lua, one connection per wrk thread walking its buyers
  through add to cart → checkout → pay;
- probe: `GET /healthz` on one connection, the floor's latency under the load.

At the end it waits for the outbox and the webhook deliveries to drain and prints per stream
req/s, p50/p99, answers other than 2xx/3xx and socket errors; purchases, sold vs stock
(0 oversold); the ledger check (`check_trading_books`, as `emporium check-ledger`); the backlog.
Every failed connection is counted, never a crash. Every process it starts runs in a process
group of its own and is killed at the end, Ctrl-C included. Exit status 1 on any error.
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    DOCS,
    FLOOR_PATH,
    PROJECT,
    Load,
    ensure_wrk,
    free_port,
    load_average,
    replace_section,
    run_wrk,
    wrap,
)

PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "scaleout")
PG_URL = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE}"
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "5"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
VAR = Path(os.environ.get("BENCH_VAR_DIR", PROJECT / "var" / "bench-scaleout")).resolve()
CHECKOUT_LUA = Path(__file__).resolve().parent / "scaleout_checkout.lua"
HEADING = "## Scale-out run (issue 21, goal 7)"
READING = (
    "**Reading the figures.** req/s and latency are what the platform got of a machine shared "
    "with other sessions (see the load average): the CPU table is the figure that holds — CPU "
    "seconds of the web server's, the workers' and the PostgreSQL backends' processes read from "
    "/proc over each phase, per answer, and the rate two cores of their own would give at that "
    "cost (wrk and Redis not counted). Every checkout writes stock, which sets a new page "
    "version (docs/decisions.md, the page cache), so beside checkout nearly every storefront "
    "page is rendered afresh; the scarce SKU's refusals are the race lost, never an error. A "
    "checkout round is add to cart, checkout, pay: three requests."
)
HOT_ITEMS = 5_000  # item pages are drawn Zipf-like from this many best sellers
MIX = 4_000  # storefront paths handed to wrk, requested in turn
SEARCHES = ["dress", "shoe", "bag", "coat", "phone", "tea", "shirt", "watch"]
REGULAR_SKUS = 8  # plentiful SKUs the other buyers buy; never sold out in a run
REGULAR_STOCK = 999_999
PRICE = "9.90"
WALLET = "50000.00"  # the largest top-up; 5,000 purchases each


def bench_env(conn_max_age: int | None = None) -> dict[str, str]:
    """The environment of every process: PostgreSQL, Redis, DEBUG off, the sandbox provider."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=PG_URL,
        REDIS_URL=REDIS_URL,
        EMPORIUM_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PAYMENTS_SANDBOX="1",  # the buyers' wallets are funded through the sandbox provider
        WEBHOOK_ALLOW_PRIVATE_NETWORKS="1",  # the receiver is on loopback
        SECRET_KEY=os.environ.get("SECRET_KEY") or "scaleout-bench-" + "x" * 40,
    )
    if conn_max_age is not None:
        env["DB_CONN_MAX_AGE"] = str(conn_max_age)
    return env


# --- processes: each in its own process group, all killed at the end --------------------------


class Processes:
    """Started processes, each a session (process group) of its own; `stop_all` kills every
    group, also the children a server forked, and is safe to call twice."""

    def __init__(self) -> None:
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str], cwd: Path = PROJECT):
        log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process))
        return process

    def check(self) -> list[str]:
        return [f"{name} exited with {p.returncode}" for name, p in self.running if p.poll()]

    def stop_all(self) -> None:
        for _name, process in reversed(self.running):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, process in self.running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)  # granian's workers may outlive the parent
            process.wait()
        self.running.clear()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_for(url: str, processes: Processes, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if problems := processes.check():
            raise SystemExit("; ".join(problems) + f" (logs in {VAR})")
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


# --- data ----------------------------------------------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed(items: int) -> float | None:
    """Migrate and seed the catalogue up to `items` (once; reused); seconds spent, or None."""
    from django.core.management import call_command

    from emporium.catalog.models import Item
    from emporium.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    if Item.objects.count() >= items:
        return None
    started = time.perf_counter()
    seed_demo(items=items, progress=lambda line: print(f"  {line}", flush=True))
    return time.perf_counter() - started


def prepare_run(run: str, buyers: int, hot_units: int, receiver_url: str) -> dict:
    """This run's seller, SKUs, subscribed app and logged-in, funded buyers."""
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.ecosystem.installations import installed
    from emporium.ecosystem.models import App
    from emporium.events import endpoints
    from emporium.finance.wallets import fund_in_sandbox
    from emporium.members.models import Address, Member
    from emporium.shops.services import open_shop

    seller = Member.objects.create_user(f"so-seller-{run}", password=None)
    shop = open_shop(seller, name=f"Scale-out shop {run}")
    category = Category.objects.get(slug="sneakers")

    def sku(title: str, stock: int) -> int:
        item = catalog.create_item(
            shop, title=title, category=category, status=Item.Status.ON_SALE,
            skus=[catalog.SkuSpec(options={}, price=Decimal(PRICE), stock=stock)],
        )  # fmt: skip
        return item.skus.get().pk

    hot = sku(f"Limited drop {run}", hot_units)
    regular = [sku(f"Everyday sock {run}-{n}", REGULAR_STOCK) for n in range(REGULAR_SKUS)]
    developer = Member.objects.create_user(f"so-dev-{run}", password=None)
    app = App.objects.create(
        name=f"Scale-out receiver {run}", user=developer, client_type="confidential",
        authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1/cb",
        requested_scopes="orders:read",
    )  # fmt: skip
    installed(app, shop, ["orders:read"])
    endpoints.subscribe(app, receiver_url, ["order.created", "order.paid"])
    people = []
    for n in range(buyers):
        # No password: the buyers sign in by the session made here (hashing is slow).
        buyer = Member.objects.create_user(f"so-{run}-{n}", password=None)
        fund_in_sandbox(buyer, Decimal(WALLET))
        address = Address.objects.create(
            member=buyer, recipient=f"Buyer {n}", phone="13800000000", province="Zhejiang",
            city="Hangzhou", street=f"{n} Scale Road", is_default=True,
        )  # fmt: skip
        session = SessionStore()
        session[SESSION_KEY] = str(buyer.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
        session.create()
        # One in five races for the scarce SKU; 5 is prime to the wrk threads that walk the
        # buyers (thread k takes n ≡ k mod threads), so every thread has racers.
        wanted = hot if n % 5 == 0 else regular[n % REGULAR_SKUS]
        people.append([session.session_key, secrets.token_hex(16), address.pk, wanted])
    stock = {pk: s for pk, s in [(hot, hot_units)] + [(pk, REGULAR_STOCK) for pk in regular]}
    return {"buyers": people, "stock": stock, "hot": hot, "shop": shop.pk}


def storefront_paths() -> list[str]:
    """The storefront mix: 60 % item pages (Zipf over the best sellers), 10 % each home,
    category, shop page and search, shuffled."""
    from emporium.catalog.models import Category, Item
    from emporium.shops.models import Shop

    hot = list(
        Item.objects.filter(status=Item.Status.ON_SALE)
        .order_by("-sales_count", "id")
        .values_list("public_id", flat=True)[:HOT_ITEMS]
    )
    rng = random.Random(21)
    weights = [1 / rank for rank in range(1, len(hot) + 1)]
    items = [f"/item/{p}/" for p in rng.choices(hot, weights=weights, k=MIX * 6 // 10)]
    categories = [
        f"/c/{s}/" for s in Category.objects.filter(parent=None).values_list("slug", flat=True)
    ]
    shops = [
        f"/shop/{s}/"
        for s in Shop.objects.filter(status=Shop.Status.OPEN).values_list("slug", flat=True)[:50]
    ]
    tenth = MIX // 10
    paths = items + ["/"] * tenth
    paths += [rng.choice(categories) for _ in range(tenth)]
    paths += [rng.choice(shops) for _ in range(tenth)]
    paths += [f"/search/?q={rng.choice(SEARCHES)}" for _ in range(tenth)]
    rng.shuffle(paths)
    return paths


def inspect(prepared: dict) -> dict:
    """After the run: sold vs stock, the ledger check, and what is still queued."""
    from django.db.models import Sum

    from emporium.catalog.models import Sku
    from emporium.events.models import Delivery, Event
    from emporium.trade.books import check_trading_books
    from emporium.trade.models import OrderLine

    skus = {int(k): v for k, v in prepared["stock"].items()}
    sold_by = dict(
        OrderLine.objects.filter(sku_id__in=skus, order__status="paid")
        .values_list("sku_id")
        .annotate(n=Sum("quantity"))
    )
    held = dict(  # units in orders that were not cancelled: paid or awaiting payment
        OrderLine.objects.filter(sku_id__in=skus)
        .exclude(order__status="cancelled")
        .values_list("sku_id")
        .annotate(n=Sum("quantity"))
    )
    left = dict(Sku.objects.filter(pk__in=skus).values_list("pk", "stock"))
    report = check_trading_books()
    hot = prepared["hot"]
    return {
        "sold": sum(sold_by.values()),
        "hot_sold": sold_by.get(hot, 0),
        "hot_units": skus[hot],
        "hot_left": left[hot],
        "unpaid_units": sum(held.values()) - sum(sold_by.values()),
        # Oversold: more units in paid orders than the SKU had, or stock below zero.
        "oversold": sum(max(0, sold_by.get(pk, 0) - units) for pk, units in skus.items())
        + sum(max(0, -n) for n in left.values()),
        # Every unit is either still in stock or in an order (paid or awaiting payment).
        "stock_accounted": all(left[pk] + held.get(pk, 0) == units for pk, units in skus.items()),
        "ledger_ok": report.ok,
        "ledger_problems": report.problems[:5],
        "postings": report.postings,
        "unpublished_events": Event.objects.filter(position__isnull=True).count(),
        "pending_deliveries": Delivery.objects.filter(status="pending").count(),
        "failed_deliveries": Delivery.objects.filter(status="failed").count(),
    }


def wait_for_drain(timeout: float) -> float | None:
    """Seconds until the outbox is published and no delivery is pending; None if not drained."""
    from django.db import connection

    from emporium.events.models import Delivery, Event

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if (
            not Event.objects.filter(position__isnull=True).exists()
            and not Delivery.objects.filter(status="pending").exists()
        ):
            return time.monotonic() - started
        connection.close()
        time.sleep(0.5)
    return None


# --- CPU spent: what the platform costs per request, whatever else the machine runs -----------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the state on (3rd)


def cpu_of_groups(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by every live process of each process group."""
    spent = dict.fromkeys(groups, 0.0)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(entry.name)):
            for name, group in groups.items():
                if int(fields[2]) == group:  # pgrp
                    spent[name] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return spent


def cpu_of_postgres() -> float:
    """CPU seconds used so far by the PostgreSQL backends serving our database (the platform's
    connections are persistent, so the same backends live through a phase)."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (PG_DATABASE,),
            )
        ]
    total = 0.0
    for pid in pids:
        if fields := _stat(str(pid)):
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


class CpuMeter:
    """CPU seconds spent by the web server, the workers and PostgreSQL during one phase."""

    def __init__(self, groups: dict[str, int]) -> None:
        self.groups = groups

    def snapshot(self) -> dict[str, float]:
        spent = cpu_of_groups(self.groups)
        spent["postgres"] = cpu_of_postgres()
        return spent

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: max(0.0, after[name] - before.get(name, 0.0)) for name in after}


# --- load ----------------------------------------------------------------------------------------


def run_checkout(base_url: str, buyers_file: Path, seconds: float, connections: int) -> dict:
    """wrk walking the buyers through checkout; its JSON line, `ok`/`errors` added. Never
    raises on what the server does: a failed connection is counted."""
    command = [ensure_wrk(), f"-t{connections}", f"-c{connections}", f"-d{seconds:g}s",
               "--timeout=10s", "-s", str(CHECKOUT_LUA), base_url, "--",
               str(buyers_file), str(connections)]  # fmt: skip
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, check=False, timeout=seconds + 60
        )
    except subprocess.TimeoutExpired:
        return {"note": "wrk did not finish"}
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_CHECKOUT ")), None)
    if line is None:
        return {"note": f"wrk failed: {(done.stderr or done.stdout)[-300:]}"}
    result = json.loads(line.removeprefix("WRK_CHECKOUT "))
    statuses = {int(k): v for k, v in result["statuses"].items()}
    result["statuses"] = statuses
    result["bad_status"] = sum(n for s, n in statuses.items() if not 200 <= s < 400)
    result["sockets"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    result["seconds"] = result["duration_us"] / 1e6
    return result


def lua_buyers(buyers: list[list], path: Path) -> None:
    rows = ",\n".join(f'{{"{s}", "{c}", {a}, {k}}}' for s, c, a, k in buyers)
    path.write_text(f"return {{\n{rows}\n}}\n")


def run_together(base_url: str, paths: list[str], buyers_file: Path, args) -> dict:
    """The three streams at once, each wrk in a thread of ours (they wait on subprocesses)."""
    results: dict = {}
    seconds = args.seconds

    def storefront() -> None:
        results["storefront"] = run_wrk(
            "storefront", base_url, paths, seconds=seconds,
            connections=args.storefront_connections, threads=2,
        )  # fmt: skip

    def checkout() -> None:
        results["checkout"] = run_checkout(
            base_url, buyers_file, seconds, args.checkout_connections
        )

    def probe() -> None:
        results["probe"] = run_wrk(
            "healthz under load", base_url, [FLOOR_PATH], seconds=seconds, connections=1,
            threads=1,
        )  # fmt: skip

    def connections() -> None:
        """PostgreSQL connections the platform holds half-way through the load."""
        time.sleep(seconds / 2)
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                (PG_DATABASE,),
            ).fetchone()
        results["pg_connections"] = row[0] if row else 0

    streams = (storefront, checkout, probe, connections)
    threads = [threading.Thread(target=f, daemon=True) for f in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- report --------------------------------------------------------------------------------------


def rate_text(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


def load_row(name: str, load: Load) -> str:
    if load.note:
        return f"| {name} | — | — | — | — | {load.note} |"
    sockets = sum(n for kind, n in load.errors.items() if kind != "status")
    return (
        f"| {name} | {rate_text(load.rate)} | {load.p50_ms:.1f} | {load.p99_ms:.1f} "
        f"| {load.errors.get('status', 0)} | {sockets} |"
    )


def report(r: dict, args) -> str:
    c = r["checkout"]
    lines = [
        "| stream | req/s | p50 ms | p99 ms | non-2xx/3xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|",
        load_row(f"floor alone (`GET {FLOOR_PATH}`, before the load)", r["floor"]),
    ]
    if "alone" in r:
        lines.append(load_row("storefront alone (before the load, no checkout)", r["alone"]))
    lines += [
        load_row(f"storefront ({args.storefront_connections} connections)", r["storefront"]),
    ]
    if "note" in c:
        lines.append(f"| checkout | — | — | — | — | {c['note']} |")
    else:
        lines.append(
            f"| checkout ({args.checkout_connections} buyers at a time; add, checkout, pay) "
            f"| {rate_text(c['requests'] / c['seconds'])} | {c['p50_us'] / 1000:.1f} "
            f"| {c['p99_us'] / 1000:.1f} | {c['bad_status']} | {c['sockets']} |"
        )
    lines.append(load_row(f"`GET {FLOOR_PATH}` during the load (1 connection)", r["probe"]))
    i = r["inspect"]
    hook = r["webhooks"]
    facts = [
        f"checkout rounds {c.get('rounds', 0):,}: {c.get('purchases', 0):,} paid "
        f"({c.get('purchases', 0) / c['seconds'] if c.get('seconds') else 0:.1f} purchases/s), "
        f"{c.get('refused', 0):,} checkouts refused (the scarce SKU sold out), "
        f"{c.get('pay_refused', 0):,} payments refused",
        f"units sold {i['sold']:,} ({i['unpaid_units']} more awaiting payment at the end); "
        f"scarce SKU {i['hot_sold']} sold of {i['hot_units']}, "
        f"{i['hot_left']} left; oversold {i['oversold']}; "
        f"stock accounted for: {'yes' if i['stock_accounted'] else 'NO'}",
        f"ledger ({i['postings']:,} postings): "
        + ("balanced" if i["ledger_ok"] else "PROBLEMS " + "; ".join(i["ledger_problems"])),
        "outbox and webhooks: "
        + (
            f"drained {r['drain_seconds']:.1f} s after the load"
            if r["drain_seconds"] is not None
            else "NOT drained"
        )
        + f" ({i['unpublished_events']} unpublished, {i['pending_deliveries']} pending); "
        f"{hook.get('received', 0):,} order webhooks received, commit → receipt p50 "
        f"{hook.get('p50_ms', 0):.0f} ms, p99 {hook.get('p99_ms', 0):.0f} ms",
        f"PostgreSQL connections held half-way through: {r.get('pg_connections', '?')}",
    ]
    return (
        "\n".join(lines) + "\n\n" + "\n".join(f"- {fact}" for fact in facts) + "\n\n" + cpu_table(r)
    )


def cpu_table(r: dict) -> str:
    """CPU per answer in each phase: what the platform itself costs, read off /proc, so it holds
    whatever else the shared machine runs; and the rate two cores of its own would give."""
    lines = [
        "| phase | answers | web CPU s | workers CPU s | PostgreSQL CPU s | CPU ms per answer "
        "| answers/s on 2 free cores (estimate) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    phases = []
    if "cpu_alone" in r:
        phases.append(("storefront alone", r["cpu_alone"], r["alone"].requests))
    if "cpu_together" in r:
        # The probe's answers are left out: /healthz costs a fraction of a page each, and
        # counting them would make the pages look cheaper.
        answers = r["storefront"].requests + r["checkout"].get("requests", 0)
        phases.append(("storefront + checkout (probe not counted)", r["cpu_together"], answers))
    for name, cpu, answers in phases:
        web = cpu.get("web", 0.0)
        workers = cpu.get("worker1", 0.0) + cpu.get("worker2", 0.0)
        pg = cpu.get("postgres", 0.0)
        per = (web + workers + pg) * 1000 / answers if answers else 0.0
        lines.append(
            f"| {name} | {answers:,} | {web:.1f} | {workers:.1f} | {pg:.1f} | {per:.1f} "
            f"| {2000 / per if per else 0:,.0f} |"
        )
    return "\n".join(lines)


def failures(r: dict) -> list[str]:
    found = []
    for name in ("storefront", "probe", "floor", "alone"):
        load: Load | None = r.get(name)
        if load is None:
            continue
        if load.note or load.failed:
            found.append(f"{name}: {load.note or load.errors_text()}")
    c = r["checkout"]
    if "note" in c or c["bad_status"] or c["sockets"]:
        found.append(f"checkout: {c.get('note') or c['statuses']}, sockets {c.get('sockets')}")
    i = r["inspect"]
    if i["oversold"] or not i["stock_accounted"]:
        found.append("stock: oversold or unaccounted")
    if not i["ledger_ok"]:
        found.append("ledger: " + "; ".join(i["ledger_problems"]))
    if r["drain_seconds"] is None:
        found.append("outbox/webhooks not drained")
    return found


def write_docs(r: dict, args, text: str) -> None:
    command = (
        f"uv run python bench/scaleout.py --items {args.items} --seconds {args.seconds:g} "
        f"--web-workers {args.web_workers} --write-docs"
    )
    blocks = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with:",
        f"```\n{command}\n```",
        f"**Machine.** {os.cpu_count()} cores, shared; load average {r['load_before']} before "
        f"and {r['load_after']} after. wrk runs on the same cores as the platform.",
        f"**Set-up** (docs/deploy.md). PostgreSQL database `{PG_DATABASE}` with "
        f"{r['items']:,} demo items (a moderate catalogue, not goal 2's 100,000: the demo "
        "seeder took 305 s for 20,000 on PostgreSQL on the shared machine); "
        f"Redis db {REDIS_DB} for the cache, the page cache, the queue and rate limits; "
        f"`emporium serve --workers {args.web_workers}` (granian WSGI, "
        f"{os.environ.get('WEB_THREADS') or 1} thread each), two `emporium worker` processes "
        "(one with `--no-schedules`), "
        f"DB_CONN_MAX_AGE {r['conn_max_age']}. {args.seconds:g} s of the three streams at once, "
        f"{args.buyers} buyers, {args.hot_units} units of the scarce SKU.",
        text,
        READING,
    ]
    section = "\n\n".join(wrap(b) if not b.startswith("- ") else b for b in blocks)
    DOCS.write_text(replace_section(DOCS.read_text(), HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


# --- main ----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=180, help="of the three streams")
    parser.add_argument("--floor-seconds", type=float, default=10)
    parser.add_argument(
        "--alone-seconds", type=float, default=20, help="storefront without checkout (0: skip)"
    )
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
    parser.add_argument("--storefront-connections", type=int, default=32)
    parser.add_argument("--checkout-connections", type=int, default=8)
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--hot-units", type=int, default=30)
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="DB_CONN_MAX_AGE (default the platform's)"
    )
    parser.add_argument("--port", type=int, default=0, help="the platform's port (0: a free one)")
    parser.add_argument("--write-docs", action="store_true")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "static").mkdir(exist_ok=True)
    ensure_wrk()
    env = bench_env(args.conn_max_age)
    setup_django(env)
    import redis
    from django.conf import settings
    from django.db import connections

    print(f"Seeding PostgreSQL `{PG_DATABASE}` up to {args.items:,} items (once)…", flush=True)
    if (took := seed(args.items)) is not None:
        print(f"  seeded in {took:.0f} s", flush=True)
    redis.Redis.from_url(REDIS_URL).flushdb()  # our own db: no stale queue or cached pages
    r: dict = {"conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"]}
    from emporium.catalog.models import Item

    r["items"] = Item.objects.count()
    processes = Processes()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # SIGTERM runs the `finally:` too
    try:
        receiver_port = free_port()
        receiver = f"http://127.0.0.1:{receiver_port}"
        processes.start("receiver", [sys.executable, "-m", "uvicorn", "webhook_receiver:app",
                        "--host", "127.0.0.1", "--port", str(receiver_port),
                        "--no-access-log", "--log-level", "warning"], env,
                        cwd=PROJECT / "bench")  # fmt: skip
        wait_for(receiver + "/stats", processes)
        run = datetime.now(UTC).strftime("%m%d%H%M%S")
        print(f"Preparing run {run}: {args.buyers} buyers, {args.hot_units} scarce units…")
        began = time.perf_counter()
        prepared = prepare_run(run, args.buyers, args.hot_units, receiver + "/hooks")
        print(f"  prepared in {time.perf_counter() - began:.0f} s", flush=True)
        paths = storefront_paths()
        buyers_file = Path(tempfile.mkstemp(suffix=".lua", dir=VAR)[1])
        lua_buyers(prepared["buyers"], buyers_file)
        connections.close_all()  # the platform gets the database to itself
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        python = sys.executable
        processes.start("web", [python, "-m", "emporium.cli", "serve", "--port", str(port),
                        "--workers", str(args.web_workers)], env)  # fmt: skip
        # Two workers on the Redis queue, each with an outbox/webhook dispatcher; the periodic
        # schedules run in the first only (docs/deploy.md).
        worker = [python, "-m", "emporium.cli", "worker", "--quiet"]
        processes.start("worker1", worker, env)
        processes.start("worker2", [*worker, "--no-schedules"], env)
        wait_for(base + FLOOR_PATH, processes)
        for path in ["/", paths[0], f"/search/?q={SEARCHES[0]}"]:
            status = httpx.get(base + path, timeout=60).status_code
            print(f"  GET {path} → {status}")
        r["load_before"] = load_average()
        print(f"Load average {r['load_before']}. Floor alone for {args.floor_seconds:g} s…")
        run_wrk("warm-up", base, paths, seconds=3, connections=args.storefront_connections)
        meter = CpuMeter({name: p.pid for name, p in processes.running if name != "receiver"})
        r["floor"] = run_wrk("floor", base, [FLOOR_PATH], seconds=args.floor_seconds,
                             connections=args.storefront_connections)  # fmt: skip
        if args.alone_seconds:
            print(f"Storefront alone for {args.alone_seconds:g} s (no checkout)…", flush=True)
            before = meter.snapshot()
            r["alone"] = run_wrk("storefront alone", base, paths, seconds=args.alone_seconds,
                                 connections=args.storefront_connections)  # fmt: skip
            r["cpu_alone"] = CpuMeter.spent(before, meter.snapshot())
        httpx.get(receiver + "/reset", timeout=30)
        print(f"Storefront + checkout + probe together for {args.seconds:g} s…", flush=True)
        before = meter.snapshot()
        r.update(run_together(base, paths, buyers_file, args))
        r["cpu_together"] = CpuMeter.spent(before, meter.snapshot())
        r["load_after"] = load_average()
        r["drain_seconds"] = wait_for_drain(timeout=120)
        hook = httpx.get(receiver + "/stats", timeout=30).json()
        lat = hook.pop("latencies")
        hook["p50_ms"] = lat[len(lat) // 2] * 1000 if lat else 0
        hook["p99_ms"] = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0
        r["webhooks"] = hook
        r["inspect"] = inspect(prepared)
        if problems := processes.check():
            print("Processes that died: " + "; ".join(problems))
    finally:
        processes.stop_all()
    text = report(r, args)
    print(text)
    print(f"Load average at the end: {r['load_after']}")
    found = failures(r)
    for problem in found:
        print(f"FAILED: {problem}")
    if args.write_docs:
        write_docs(r, args, text)
    return 1 if found else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted: every process it started is stopped.")
        sys.exit(130)
