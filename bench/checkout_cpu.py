"""CPU per checkout attempt, in-process: a refused attempt and a winning one (checkout + pay).

    uv run python bench/checkout_cpu.py [--tree DIR] [--refused 300] [--winners 40]
                                        [--database FILE] [--profile refused|winners|calls]

Runs the Django test client on a copy of bench/checkout.py's SQLite database (build it once with
`uv run python bench/checkout.py --sqlite-only --workers 1 --seconds 2`): no server, network or
wrk, only what the code costs, measured as CPU time (time.process_time), so other work on the
machine weighs less than on wall time. `--tree` runs another checkout of the code (the commit
before, exported with `git archive`) on the same data: before/after figures, alternating.

- Refused: racers whose cart holds the sneaker the last race sold out post the checkout form, as
  the bench does; each answer must be the checkout page with the refusal. Nothing is written.
- Winners: a new sneaker with `--winners` units (plus a few for warm-up) goes into every racer's
  cart; that many racers each post the checkout form, then the payment on the pay page it
  redirects to. It also reports the write transactions: how many, their statements, and the
  time from their first statement to COMMIT — on SQLite the write lock every other writer
  waits for (BEGIN IMMEDIATE), on PostgreSQL at least how long the SKU row stays locked.

`--profile calls` counts Python calls per attempt (cProfile), steadier than CPU time on a loaded
machine; `refused` or `winners` also prints and saves (under the temp dir) that phase's profile.

Ends by checking the books (check_trading_books) and that the stock is not negative.
"""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import race_stock

PROJECT = Path(__file__).resolve().parent.parent
PRICE = race_stock.PRICE
REFUSAL_TEXT = b"Not enough stock left of"
WARM_UP = 20
WARM_UP_WINNERS = 5
CLIENT: Any = None  # the one test client every request goes through (see signed_in)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", default=str(PROJECT), help="the code to run (default: this)")
    parser.add_argument(
        "--database", default=str(PROJECT / "var" / "bench-checkout" / "emporium.sqlite3")
    )
    parser.add_argument("--refused", type=int, default=300)
    parser.add_argument("--winners", type=int, default=40)
    parser.add_argument(
        "--profile", choices=["refused", "winners", "calls"], help="calls: only count them"
    )
    return parser.parse_args()


def setup(args: argparse.Namespace) -> Path:
    """A copy of the database in a var dir of its own, and Django set up on `--tree`'s code."""
    var = Path(tempfile.mkdtemp(prefix="checkout-cpu-"))
    (var / "static").mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = Path(args.database + suffix)
        if source.exists():
            shutil.copy(source, var / f"emporium.sqlite3{suffix}")
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        EMPORIUM_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="emporium.settings", DEBUG="0",
        LOG_LEVEL="ERROR", PAYMENTS_SANDBOX="1",
    )  # fmt: skip
    sys.path.insert(0, str(Path(args.tree).resolve()))
    import django

    django.setup()
    import emporium

    print(f"code: {Path(emporium.__file__).parent}; data: a copy of {args.database}")
    return var


class Transactions:
    """Counts queries, and times each write transaction from its first statement to COMMIT."""

    def __init__(self) -> None:
        self.queries = 0
        self.started: float | None = None
        self.statements = 0
        self.held: list[tuple[float, int]] = []  # (seconds, statements) per transaction

    def wrapper(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        if context["connection"].in_atomic_block:
            if self.started is None:
                self.started = time.perf_counter()
            self.statements += 1
        return execute(sql, params, many, context)

    def ended(self) -> None:
        if self.started is not None:
            self.held.append((time.perf_counter() - self.started, self.statements))
        self.started, self.statements = None, 0

    def install(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        def watch(sender: Any, connection: Any, **kwargs: Any) -> None:
            if self.wrapper not in connection.execute_wrappers:
                connection.execute_wrappers.append(self.wrapper)

        connection_created.connect(watch, weak=False)
        connection = connections["default"]
        connection.ensure_connection()
        watch(None, connection)
        wrapper_class = type(connection)
        commit, rollback = wrapper_class._commit, wrapper_class._rollback

        def timed_commit(db: Any) -> None:
            commit(db)
            self.ended()

        def timed_rollback(db: Any) -> None:
            rollback(db)
            self.ended()

        wrapper_class._commit = timed_commit  # type: ignore[method-assign]
        wrapper_class._rollback = timed_rollback  # type: ignore[method-assign]


def signed_in(members: Any) -> list[tuple[str, int]]:
    """Each member's session key (signed in) and default address. The requests all go through
    one client, its session cookie set in turn: a client loads the middleware on its first
    request (WhiteNoise scans the static files), which a server does once per process."""
    from django.conf import settings
    from django.test import Client

    found = []
    for member in members:
        client = Client()
        client.force_login(member)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        found.append((key, member.addresses.get(is_default=True).pk))
    return found


def post(path: str, session: str, data: dict | None = None) -> Any:
    from django.conf import settings

    CLIENT.cookies[settings.SESSION_COOKIE_NAME] = session
    form = urlencode(data or {})  # as the bench's wrk posts it, not multipart
    return CLIENT.post(path, form, content_type="application/x-www-form-urlencoded")


def racers_refused(count: int) -> list[tuple[str, int]]:
    """Racers whose cart holds a sold-out SKU: their session key and address."""
    from emporium.members.models import Member

    members = Member.objects.filter(
        username__startswith="racer", cart__lines__sku__stock=0
    ).distinct()[:count]
    found = signed_in(members)
    if not found:
        raise SystemExit("no racer holds a sold-out SKU: run bench/checkout.py first")
    return found


def refused(args: argparse.Namespace, counter: Transactions) -> dict:
    racers = racers_refused(50)

    def attempt(n: int) -> None:
        session, address = racers[n % len(racers)]
        page = post("/orders/checkout/", session, {"address": address, "expected_total": PRICE})
        if page.status_code != 200 or REFUSAL_TEXT not in page.content:
            raise SystemExit(f"not a refusal: {page.status_code}")

    for n in range(WARM_UP):
        attempt(n)
    return measure(args, counter, "refused", args.refused, attempt)


def winners(args: argparse.Namespace, counter: Transactions) -> dict:
    from emporium.members.models import Member

    race_stock.arm(args.winners + WARM_UP_WINNERS)
    racers = signed_in(
        Member.objects.filter(username__startswith="racer").order_by("pk")[
            : args.winners + WARM_UP_WINNERS
        ]
    )

    def attempt(n: int) -> None:
        session, address = racers[n]
        placed = post("/orders/checkout/", session, {"address": address, "expected_total": PRICE})
        if placed.status_code != 302 or "/orders/pay/" not in placed["Location"]:
            raise SystemExit(f"checkout did not place the order: {placed.status_code}")
        paid = post(placed["Location"], session)
        if paid.status_code != 302:
            raise SystemExit(f"payment refused: {paid.status_code}")

    for n in range(WARM_UP_WINNERS):
        attempt(n)
    return measure(args, counter, "winners", args.winners, lambda n: attempt(n + WARM_UP_WINNERS))


def measure(
    args: argparse.Namespace, counter: Transactions, name: str, count: int, attempt: Any
) -> dict:
    counter.queries, counter.held = 0, []
    profile = cProfile.Profile() if args.profile in (name, "calls") else None
    cpu: list[float] = []
    calls = 0.0
    if profile:
        profile.enable()
    started = time.perf_counter()
    for n in range(count):
        before = time.process_time()
        attempt(n)
        cpu.append(time.process_time() - before)
    wall = time.perf_counter() - started
    if profile:
        profile.disable()
        stats = pstats.Stats(profile)
        calls = stats.total_calls / count  # type: ignore[attr-defined]
        if args.profile == name:
            profile.dump_stats(f"{tempfile.gettempdir()}/checkout-cpu-{name}.prof")
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    held = [seconds for seconds, _ in counter.held]
    return {
        "calls": calls if profile else None,
        "attempts": count,
        "cpu_ms_mean": 1000 * sum(cpu) / count,
        "cpu_ms_median": 1000 * statistics.median(cpu),
        "wall_ms_mean": 1000 * wall / count,
        "queries": counter.queries / count,
        "write_transactions": len(held) / count,
        "statements_in_transactions": sum(n for _, n in counter.held) / count,
        "held_ms_per_attempt": 1000 * sum(held) / count,
        "held_ms_median": 1000 * statistics.median(held) if held else 0.0,
    }


def check() -> str:
    from emporium.catalog.models import Sku
    from emporium.trade.books import check_trading_books

    report = check_trading_books()
    negative = Sku.objects.filter(stock__lt=0).count()
    if not report.ok or negative:
        raise SystemExit(f"books: {report.problems}; SKUs below 0: {negative}")
    return "books balanced, no stock below 0"


def main() -> None:
    args = parse_args()
    var = setup(args)
    try:
        from django.test import Client

        global CLIENT
        CLIENT = Client()
        counter = Transactions()
        counter.install()
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        for name, run in (("refused", refused), ("winners", winners)):
            result = run(args, counter)
            print(
                f"{name}: {result['attempts']} attempts, CPU {result['cpu_ms_mean']:.2f} ms "
                f"mean / {result['cpu_ms_median']:.2f} median, wall {result['wall_ms_mean']:.2f}"
                f" ms, {result['queries']:.1f} queries, {result['write_transactions']:.1f} "
                f"write transactions of {result['statements_in_transactions']:.1f} statements "
                f"held {result['held_ms_per_attempt']:.2f} ms (median transaction "
                f"{result['held_ms_median']:.2f} ms)"
                + (f", {result['calls']:,.0f} Python calls" if result["calls"] else "")
            )
        print(f"{check()}; load {load} → {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
