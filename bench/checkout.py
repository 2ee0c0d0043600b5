"""Checkout under contention: many buyers race for few units through a real server.

    uv run python bench/checkout.py [--buyers 500] [--units 50] [--concurrency 100] [--write-docs]

For each database (SQLite in its own var dir, and PostgreSQL in a database `emporium_bench` on
127.0.0.1 when it answers) it builds a fresh marketplace: one item with `--units` in stock and
`--buyers` logged-in buyers, each with money in the wallet and the item in the cart. It starts
`uvicorn --workers 2` on a free loopback port, then every buyer places the order and pays
(POST /orders/checkout/, then POST /orders/pay/) with at most `--concurrency` in flight. It
prints purchases/s, checkout+pay latency p50/p99, units sold and oversold (must be 0), and runs
the ledger check. The load generator shares the machine's 2 cores with the server.
"""

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    DOCS,
    PROJECT,
    free_port,
    percentile,
    replace_section,
    run_child,
    start_server,
    stop_server,
    wait_until_up,
)

HEADING = "## Checkout under contention (issue 3)"
READING = (
    "**Reading the figures.** An attempt is one buyer's checkout, plus the payment when the "
    "checkout got a unit; purchases/s counts only those that ended paid, so with 50 units it is "
    "50 ÷ the whole run. Latency is checkout + pay as the buyer waits for it, queue included: "
    "with 100 buyers in flight and about 40 attempts/s, p50 is mostly waiting. Oversold must be "
    "0 and stock left never negative; the run fails otherwise. Each failed attempt still renders "
    "the checkout page with the refusal, as a buyer would see it."
)
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgresql://postgres@127.0.0.1:5432/emporium_bench"


def bench_env(database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        EMPORIUM_VAR_DIR=str(PROJECT / "var" / "bench-checkout"),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="ERROR",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# --- the marketplace, built and inspected inside Django ------------------------------------------


def prepare(buyers: int, units: int) -> dict:
    """Runs in a child process with the bench environment: a fresh database and its buyers."""
    import django

    django.setup()
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.finance.wallets import top_up
    from emporium.members.models import Address, Member
    from emporium.shops.services import open_shop
    from emporium.trade.models import Cart, CartLine

    call_command("migrate", verbosity=0)
    seller = Member.objects.create_user("bench-seller", password=secrets.token_hex(8))
    shop = open_shop(seller, name="Bench shop")
    item = catalog.create_item(
        shop,
        title="Limited sneaker",
        category=Category.objects.get(slug="sneakers"),
        skus=[catalog.SkuSpec(options={}, price=Decimal("399.00"), stock=units)],
        status=Item.Status.ON_SALE,
    )
    sku = item.skus.get()
    people = []
    for n in range(buyers):
        buyer = Member.objects.create_user(f"racer{n}", password=secrets.token_hex(8))
        top_up(buyer, Decimal("1000.00"))
        address = Address.objects.create(
            member=buyer, recipient=f"Racer {n}", phone="13800000000", province="Zhejiang",
            city="Hangzhou", street=f"{n} Race Road", is_default=True,
        )  # fmt: skip
        CartLine.objects.create(cart=Cart.objects.create(member=buyer), sku=sku, quantity=1)
        session = SessionStore()
        session[SESSION_KEY] = str(buyer.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
        session.create()
        people.append({"session": session.session_key, "address": address.pk})
    return {"buyers": people, "sku": sku.pk}


def inspect(sku_id: int, units: int) -> dict:
    import django

    django.setup()
    from django.db.models import Sum

    from emporium.catalog.models import Sku
    from emporium.trade.books import check_trading_books
    from emporium.trade.models import OrderLine

    sold = OrderLine.objects.filter(sku_id=sku_id, order__status="paid").aggregate(
        n=Sum("quantity")
    )
    report = check_trading_books()
    return {
        "sold": sold["n"] or 0,
        "stock": Sku.objects.get(pk=sku_id).stock,
        "oversold": max(0, (sold["n"] or 0) - units),
        "ledger_ok": report.ok,
        "problems": report.problems,
    }


# --- the race ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    bought: bool
    seconds: float
    status: str


async def purchase(
    base: str, buyer: dict, gate: asyncio.Semaphore, transport: httpx.AsyncHTTPTransport
) -> Outcome:
    token = secrets.token_hex(16)
    cookies = {"sessionid": buyer["session"], "csrftoken": token}
    # One client per buyer for its cookies, one shared transport for the connections: making
    # a full client per buyer costs the load generator more CPU than the server spends.
    client = httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60, transport=transport)
    async with gate:
        started = time.perf_counter()
        placed = await client.post(
            "/orders/checkout/", data={"address": buyer["address"], "csrfmiddlewaretoken": token}
        )
        if placed.status_code != 302:
            return Outcome(False, time.perf_counter() - started, f"checkout {placed.status_code}")
        paid = await client.post(placed.headers["location"], data={"csrfmiddlewaretoken": token})
        bought = paid.status_code == 302 and "/orders/" in paid.headers.get("location", "")
        return Outcome(bought, time.perf_counter() - started, f"pay {paid.status_code}")


async def race(base: str, buyers: list[dict], concurrency: int) -> tuple[list[Outcome], float]:
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncHTTPTransport(limits=limits) as transport:
        started = time.perf_counter()
        outcomes = await asyncio.gather(*(purchase(base, b, gate, transport) for b in buyers))
        return outcomes, time.perf_counter() - started


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS emporium_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE emporium_bench")
        return True
    except Exception as problem:  # noqa: BLE001 - any failure means: skip this database
        print(f"PostgreSQL not used: {problem}")
        return False


def fresh_sqlite(env: dict[str, str]) -> None:
    var = Path(env["EMPORIUM_VAR_DIR"])
    var.mkdir(parents=True, exist_ok=True)
    for leftover in var.glob("emporium.sqlite3*"):
        leftover.unlink()


def bench_database(name: str, database_url: str | None, args: argparse.Namespace) -> dict:
    env = bench_env(database_url)
    if database_url is None:
        fresh_sqlite(env)
    print(f"[{name}] preparing {args.buyers} buyers for {args.units} units…", flush=True)
    prepared = run_child(__file__, "prepare", env, buyers=args.buyers, units=args.units)
    port = free_port()
    server = start_server(port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        outcomes, elapsed = asyncio.run(race(base, prepared["buyers"], args.concurrency))
    finally:
        stop_server(server)
    checked = run_child(__file__, "inspect", env, sku_id=prepared["sku"], units=args.units)
    latencies = sorted(o.seconds * 1000 for o in outcomes)
    bought = sum(o.bought for o in outcomes)
    result = {
        "database": name,
        "buyers": len(outcomes),
        "bought": bought,
        "purchases_per_s": bought / elapsed,
        "attempts_per_s": len(outcomes) / elapsed,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        **checked,
    }
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    result["statuses"] = statuses
    return result


def table(results: list[dict], args: argparse.Namespace) -> str:
    lines = [
        f"{args.buyers} buyers race for {args.units} units, at most {args.concurrency} in flight, "
        "uvicorn with 2 workers; the load generator runs on the same 2 cores.",
        "",
        "| database | attempts/s | purchases/s | p50 ms | p99 ms | sold | stock left | oversold | ledger |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['attempts_per_s']:.0f} | {r['purchases_per_s']:.0f} | "
            f"{r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['sold']} | {r['stock']} | {r['oversold']} | "
            f"{'balanced' if r['ledger_ok'] else 'PROBLEMS'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buyers", type=int, default=500)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--child", choices=["prepare", "inspect"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(PROJECT))
        step = {"prepare": prepare, "inspect": inspect}[args.child]
        print(json.dumps(step(**json.loads(args.child_args))))
        return 0
    results = [bench_database("SQLite", None, args)]
    if postgres_available():
        results.append(bench_database("PostgreSQL", PG_BENCH_URL, args))
    report = table(results, args)
    print(report)
    for r in results:
        print(f"[{r['database']}] outcomes: {r['statuses']}")
    if args.write_docs:
        command = "uv run python bench/checkout.py" + (" --write-docs" if args.write_docs else "")
        section = f"Command: `{command}`\n\n{report}\n\n{READING}\n"
        DOCS.write_text(
            replace_section(
                DOCS.read_text() if DOCS.exists() else "# Performance\n", HEADING, section
            )
        )
    failed = any(r["oversold"] or r["stock"] < 0 or not r["ledger_ok"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
