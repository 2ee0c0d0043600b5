"""The books app on the real platform: a busy shop's history backfilled over the API, and the reports.

    uv run python bench/books.py [--orders 2000 | --movements 100000] [--runs 7] [--write-docs]

1. A fresh marketplace in its own var dir (var/bench-books, or $BENCH_BOOKS_VAR_DIR; SQLite),
   built in a child process by the platform's own trading functions under a clock moved through
   2025: one shop, --orders orders of one buyer spread over the year (most paid, shipped,
   received and settled with the platform's commission; about 8 % refunded in part before
   settlement, 2 % returned after settlement so the refund comes out of the seller's balance,
   3 % left paid in escrow), held fees released once each return window closes, a withdrawal a
   week and an app charge a month. The prepared database is kept and reused by a later run with
   the same --orders (or --movements).
   --movements N: the issue's year of a busy shop (about N balance transactions; 100,000 in a
   few minutes instead of hours), built by `prepare_year`: twenty buyers, orders placed all
   year and received three days later. The plain path of each order (checkout's order, line
   and log as `quote_shop` prices it, the payment into escrow, shipped a day later, received
   and settled with `commission_on`'s commission, the held fee released when the return window
   closes) is written in bulk a day at a time by `post_in_bulk`: `ledger.post`'s checks, the
   ledger's own `_move_balances` for every balance after, bulk inserts; no event, since no app
   listens to the shop yet (the trading functions write none either). Everything else goes
   through the trading and finance functions themselves, at the end of each day: top-ups,
   about 8 % refunded in part before settlement and then received (`refunds.agree`,
   `confirm_receipt`), 2 % returned after settlement out of the seller's balance, a
   withdrawal a week, an app charge a month; the last three days' orders are left in escrow.
   At the end `check_trading_books` must pass (ledger, escrow, held fees, sold counts) and
   every balance after on the seller's statement must equal the running sum of its movements.
2. The platform is served as `emporium serve` serves it (granian, 2 workers). The books app is
   registered and listed by a developer, run as a real server on its own port (uvicorn,
   emporium.live_apps.AppServer) and installed on the shop over OAuth the way a seller does it
   (emporium.live_apps.install_over_http). Timed: from the OAuth callback to the end of the
   app's first catch-up (the seller's progress bar) — the shop's orders (GET /orders, for cost of
   goods and escrow), the open orders one by one, and every balance transaction
   (GET /finance/balance-transactions, 100 a page), each booked as a balanced transaction in
   the app's SQLite. Checked: the books' platform balance and escrow equal GET /finance/balance.
   A second catch-up over the same history books nothing (timed: a replay's cost).
3. For contrast in the same run, the same number of movements served by a stub of that one
   endpoint (pages from memory over real HTTP): the app's side alone. The ratio real / stub is
   what the platform's API adds (with --orders, the issue's year of 100,000 movements is
   extrapolated from the measured rate). The orders' part of the backfill (read before the
   first page of movements) is timed apart.
4. The pages as the seller center shows them, over HTTP with a view pass (p50 of --runs): the
   home page (this and last month), the reports page (P&L by month, balance sheet, spending,
   cash flow, charts' data), the P&L CSV, and the reconciliation (which asks the platform for
   the movements newer than the app's copy of its statement and for its balance), for the
   month and for the whole history.

The app's data lives in a temporary directory; nothing of it is kept.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
from emporium_books import books, ingest  # noqa: E402
from emporium_books.config import Config  # noqa: E402
from emporium_books.store import Store  # noqa: E402
from emporium_sdk import Client  # noqa: E402
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

VAR = Path(os.environ.get("BENCH_BOOKS_VAR_DIR", PROJECT / "var" / "bench-books")).resolve()
SECTION = "## Books: backfill and reports (issue 17)"
PAGE = 100
YEAR_OF_A_BUSY_SHOP = 100_000  # the issue's figure: balance transactions in a year
START = datetime(2025, 1, 1, 2, tzinfo=UTC)


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(EMPORIUM_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="emporium.settings", DEBUG="0",
               LOG_LEVEL="WARNING", PAYMENTS_SANDBOX="1",
               WEBHOOK_ALLOW_PRIVATE_NETWORKS="1")  # the app listens on 127.0.0.1  # fmt: skip
    return env


# --- inside Django, in a child process ----------------------------------------------------------


def dress_shop(seller, stock: int) -> tuple:
    """The busy shop: twenty linen dresses on sale, one SKU each (with its item and category
    loaded, as the bulk builder reads them)."""
    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item, Sku
    from emporium.shops.services import open_shop

    shop = open_shop(seller, name="Busy shop")
    dresses = Category.objects.get(slug="dresses")
    skus = []
    for n in range(20):
        item = catalog.create_item(
            shop, title=f"Linen dress no. {n}", category=dresses, option_names=[],
            skus=[catalog.SkuSpec(options={}, price=Decimal(f"{59 + n * 11}.00"), stock=stock)],
            status=Item.Status.ON_SALE,
        )  # fmt: skip
        skus.append(Sku.objects.select_related("item__shop", "item__category").get(item=item))
    return shop, skus


def prepare(orders: int) -> dict:
    """The shop's year of trading, through the platform's own functions (see the docstring)."""
    import django

    django.setup()
    import secrets

    from django.core.management import call_command

    from emporium.demo.history import trade_history
    from emporium.finance.wallets import fund_in_sandbox
    from emporium.fixtures import PASSWORD
    from emporium.lib import clock
    from emporium.members.models import Address, Member
    from emporium.trade import orders as trading

    call_command("migrate", verbosity=0)
    rng = random.Random(17)
    clock.set_time(START - timedelta(days=1))
    seller = Member.objects.create_user("bench-seller", password=PASSWORD)  # install_over_http
    developer = Member.objects.create_user("bench-dev", password=secrets.token_hex(8),
                                           is_developer=True)  # fmt: skip
    buyer = Member.objects.create_user("bench-buyer", password=secrets.token_hex(8))
    address = Address.objects.create(member=buyer, recipient="Bob", phone="13800000000",
                                     province="Zhejiang", city="Hangzhou", street="1 West Lake",
                                     is_default=True)  # fmt: skip
    wanted = Decimal(orders) * Decimal("300.00")
    while wanted > 0:  # a top-up is at most 50,000.00
        fund_in_sandbox(buyer, min(wanted, Decimal("50000.00")))
        wanted -= Decimal("50000.00")
    shop, skus = dress_shop(seller, stock=orders * 2)
    counts = trade_history(
        seller,
        [(buyer, address)],
        skus,
        developer,
        start=START,
        end=START + timedelta(days=365),
        orders=orders,
        rng=rng,
        key="bench",
    )
    clock.set_time(START + timedelta(days=366))
    trading.settle_fees()
    return {"shop": str(shop.public_id), **counts}


def prepare_year(movements: int) -> dict:
    """A year of a busy shop with about `movements` balance transactions, in minutes: the orders
    and the money of the plain path (paid, shipped, received, settled, fee released) written in
    bulk, a day at a time, as the trading functions write them (`post_in_bulk`); everything
    else through the trading and finance functions themselves (see the module's docstring)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F

    from emporium.catalog.models import Item, Sku
    from emporium.demo.history import withdraw_half
    from emporium.ecosystem.models import Installation
    from emporium.finance import ledger
    from emporium.finance.ledger import Leg
    from emporium.finance.models import Account, Entry, Posting
    from emporium.finance.wallets import MAX_TOP_UP, fund_in_sandbox
    from emporium.fixtures import PASSWORD
    from emporium.lib import clock
    from emporium.members.models import Address, Member
    from emporium.promotions.pricing import quote_shop
    from emporium.trade import orders as trading
    from emporium.trade import refunds
    from emporium.trade.books import check_trading_books
    from emporium.trade.models import Order, OrderLine, OrderLog, Refund
    from emporium.trade.states import TradeError

    S = Order.Status
    call_command("migrate", verbosity=0)
    rng = random.Random(17)
    clock.set_time(START - timedelta(days=1))
    # A settlement is one movement; returns, withdrawals and app charges add about 2 %.
    orders = round(movements / 1.012)
    seller = Member.objects.create_user("bench-seller", password=PASSWORD)  # install_over_http
    developer = Member.objects.create_user("bench-dev", password=None, is_developer=True)
    buyers = [Member.objects.create_user(f"bench-buyer-{n}", password=None) for n in range(20)]
    addresses = {
        buyer.pk: Address.objects.create(member=buyer, recipient="Bob", phone="13800000000",
                                         province="Zhejiang", city="Hangzhou",
                                         street=f"{n} West Lake", is_default=True)
        for n, buyer in enumerate(buyers)
    }  # fmt: skip
    shop, skus = dress_shop(seller, stock=orders * 2)
    wanted = Decimal(orders) * Decimal("300.00") / len(buyers)  # more than a year of spending
    with transaction.atomic():
        for buyer in buyers:
            for _ in range(int(wanted / MAX_TOP_UP) + 1):
                fund_in_sandbox(buyer, MAX_TOP_UP)
    # The shop's apps would be told of each change; none is installed yet (the bench installs
    # the books app afterwards), so the trading functions write no event either.
    assert not Installation.objects.filter(shop=shop).exists()
    # The price of each SKU and quantity, as checkout quotes it (no promotion runs in 2025).
    quotes = {(sku.pk, n): quote_shop(shop, [(sku, n)], START) for sku in skus for n in (1, 2)}
    accounts: dict[str | int, Account] = {"escrow": ledger.escrow(), "held": ledger.held_commission(),
                "seller": ledger.seller_balance(seller), "revenue": ledger.commission_revenue(),
                **{b.pk: ledger.wallet(b) for b in buyers}}  # fmt: skip
    counts = {"orders": orders, "settled": 0, "refunded_before": 0, "returned_after": 0,
              "in_escrow": 0, "withdrawals": 0, "app_charges": 0}  # fmt: skip
    step = timedelta(days=365) / orders
    plans = [(START + step * n, rng.choice(buyers), rng.choice(skus), rng.choice((1, 1, 2)),
              rng.random()) for n in range(orders)]  # fmt: skip
    numbers: set[str] = set()
    rolls: dict[str, float] = {}
    units: dict[int, int] = {}
    returns: dict[int, list[int]] = {}  # day → settled orders returned in part that day
    end = START + timedelta(days=365)

    def number(at: datetime) -> str:
        while (found := trading._order_number(at)) in numbers:
            pass
        numbers.add(found)
        return found

    def place(plan) -> tuple[Order, OrderLine, list[OrderLog], tuple]:
        """An order as checkout and payment leave it (then shipped a day later)."""
        at, buyer, sku, quantity, roll = plan
        quote = quotes[sku.pk, quantity]
        (line,) = quote.lines
        shipped = at + timedelta(days=1)
        status = S.SHIPPED if shipped < end else S.PAID
        order = Order(number=number(at), buyer=buyer, shop=shop, items_amount=quote.items_amount,
                      discount_amount=quote.discount_amount, total_amount=quote.total_amount,
                      promotions=quote.applied(), address=trading._address_snapshot(
                          addresses[buyer.pk]), created_at=at, paid_at=at, status=status)  # fmt: skip
        rolls[order.number] = roll  # what becomes of it (the bench's dice)
        if status == S.SHIPPED:
            order.shipped_at, order.carrier = shipped, "SF Express"
            order.tracking_number = f"SF{len(numbers):010d}"
        order_line = OrderLine(order=order, sku=sku, item=sku.item, title=sku.item.title,
                               sku_label=sku.label, list_price=line.unit.list_price,
                               unit_price=line.unit.price, quantity=quantity,
                               discount_amount=line.discount_share, total_amount=line.total,
                               commission_rate=sku.item.category.commission_rate)  # fmt: skip
        logs = [OrderLog(order=order, to_status=S.PENDING_PAYMENT, actor="buyer", at=at),
                OrderLog(order=order, from_status=S.PENDING_PAYMENT, to_status=S.PAID,
                         actor="buyer", at=at)]  # fmt: skip
        if status == S.SHIPPED:
            logs.append(OrderLog(order=order, from_status=S.PAID, to_status=S.SHIPPED,
                                 actor="seller", at=shipped))  # fmt: skip
        units[sku.item_id] = units.get(sku.item_id, 0) + quantity
        payment = (at, Posting.Reason.PAYMENT, f"orders:{order.number}",
                   [Leg(accounts[buyer.pk], -order.total_amount),
                    Leg(accounts["escrow"], order.total_amount)])  # fmt: skip
        return order, order_line, logs, payment

    def write(placed: list) -> list[Order]:
        Order.objects.bulk_create([o for o, *_ in placed], batch_size=1000)
        OrderLine.objects.bulk_create([line for _, line, *_ in placed], batch_size=1000)
        OrderLog.objects.bulk_create([g for *_, logs, _ in placed for g in logs], batch_size=2000)
        return [o for o, *_ in placed]

    def settle_in_bulk(settling: list[Order]) -> list[tuple]:
        """Received three days after the order and settled at once, as `confirm_receipt` does:
        escrow to the seller less the commission (`commission_on`), which is held."""
        with_lines = Order.objects.filter(pk__in=[o.pk for o in settling]).prefetch_related("lines")
        drafts, logs = [], []
        for order in with_lines:
            at = order.created_at + timedelta(days=3)
            commission = trading.commission_on(order, order.total_amount)
            order.status, order.completed_at, order.settled_at = S.SETTLED, at, at
            order.commission_amount = commission
            drafts.append((at, Posting.Reason.SETTLEMENT, f"order:{order.number}",
                           [Leg(accounts["escrow"], -order.total_amount),
                            Leg(accounts["seller"], order.total_amount - commission),
                            Leg(accounts["held"], commission)]))  # fmt: skip
            logs += [OrderLog(order=order, from_status=S.SHIPPED, to_status=S.COMPLETED,
                              actor="buyer", at=at),
                     OrderLog(order=order, from_status=S.COMPLETED, to_status=S.SETTLED,
                              actor="system", at=at)]  # fmt: skip
        OrderLog.objects.bulk_create(logs, batch_size=2000)
        Order.objects.bulk_update(list(with_lines), ["status", "completed_at", "settled_at",
                                               "commission_amount"], batch_size=500)  # fmt: skip
        counts["settled"] += len(drafts)
        return drafts

    def release_fees(now: datetime) -> None:
        """`settle_fees`, in bulk: the held commission of orders whose window closed."""
        due = list(Order.objects.filter(
            status=S.SETTLED, fee_settled_at__isnull=True,
            completed_at__lte=now - trading.return_window(),
        ).exclude(refunds__status__in=Refund.OPEN).values_list("pk", "number",
                                                                "commission_amount"))  # fmt: skip
        Order.objects.filter(pk__in=[pk for pk, *_ in due]).update(fee_settled_at=now)
        post_in_bulk([(now, Posting.Reason.FEE, f"order:{n}",
                       [Leg(accounts["held"], -fee), Leg(accounts["revenue"], fee)])
                      for _, n, fee in due if fee])  # fmt: skip

    by_day: dict[int, list] = {}
    for plan in plans:
        by_day.setdefault((plan[0] - START).days, []).append(plan)
    week, month = -1, 0
    for day in range(365):
        # After the day's last receipt (orders came in from 02:00 to 02:00): the rest of the day.
        day_end = START + timedelta(days=day + 1, minutes=-50)
        with transaction.atomic():
            # Orders placed three days ago are received today: written with their payment.
            placed = [place(plan) for plan in by_day.get(day - 3, [])]
            written = write(placed)
            plain = [o for o in written if rolls[o.number] >= 0.08]
            post_in_bulk([payment for *_, payment in placed] + settle_in_bulk(plain))
            clock.set_time(day_end)
            # Part of the money back before settlement, out of escrow, then received: by the
            # trading functions themselves.
            for order in written:
                if rolls[order.number] < 0.08:
                    refund = refunds.request_refund(order, order.buyer, Decimal("20.00"),
                                                    "a button is missing")  # fmt: skip
                    refunds.agree(refund)
                    order.refresh_from_db()
                    trading.confirm_receipt(order)
                    counts["refunded_before"] += 1
                    counts["settled"] += 1
                elif rolls[order.number] > 0.98:
                    returns.setdefault(day + 2, []).append(order.pk)
            # Returns inside the window, two days after settlement: out of the seller's balance.
            for pk in returns.pop(day, []):
                clock.set_time(clock.now() + timedelta(seconds=10))
                late = Order.objects.get(pk=pk)
                try:
                    refund = refunds.request_refund(late, late.buyer, Decimal("30.00"),
                                                    "wrong size")  # fmt: skip
                    refunds.agree(refund)
                    counts["returned_after"] += 1
                except TradeError:
                    pass
            clock.set_time(day_end + timedelta(minutes=20))
            release_fees(clock.now())
            now = clock.now()
            if day // 7 != week:  # once a week, half of what may be withdrawn
                week = day // 7
                counts["withdrawals"] += withdraw_half(seller)
            charge = Decimal("29.00")  # a month's subscription to another app, once it can pay
            can_pay = ledger.balance_of(ledger.seller_code(seller)) >= charge
            if now.year == START.year and now.month != month and can_pay:
                month = now.month
                clock.set_time(now + timedelta(minutes=1))
                ledger.post(Posting.Reason.APP_CHARGE, f"app-invoice:bench-{now:%Y-%m}",
                            [Leg(ledger.seller_balance(seller), -charge),
                             Leg(ledger.developer_payable(developer), charge)],
                            memo="Stats: Pro, a month")  # fmt: skip
                counts["app_charges"] += 1
    with transaction.atomic():  # the last three days' orders: paid, some shipped, not received
        placed = [place(plan) for day in (362, 363, 364) for plan in by_day.get(day, [])]
        write(placed)
        post_in_bulk([payment for *_, payment in placed])
    for item_id, sold in units.items():  # what checkout took and payment counted (count_sales)
        Item.objects.filter(pk=item_id).update(stock=F("stock") - sold,
                                               sales_count=F("sales_count") + sold)  # fmt: skip
        Sku.objects.filter(item_id=item_id).update(stock=F("stock") - sold)
    clock.set_time(end + timedelta(days=1))
    trading.settle_fees()
    counts["in_escrow"] = Order.objects.filter(status__in=[S.PAID, S.SHIPPED]).count()
    report = check_trading_books()
    if not report.ok:
        raise SystemExit("the books do not check:\n" + "\n".join(report.problems[:20]))
    running = Decimal("0.00")  # every movement's balance after, as the statement shows it
    statement = Entry.objects.filter(account=accounts["seller"]).order_by("pk")
    for amount, after in statement.values_list("amount", "balance_after"):
        running += amount
        assert after == running, (after, running)
    counts["movements"] = statement.count()
    return {"shop": str(shop.public_id), **counts}


def post_in_bulk(drafts: list[tuple]) -> None:
    """`ledger.post` for many postings (time, reason, reference, legs) at once, in time order:
    the same checks, the balances moved by the ledger's own `_move_balances` (so each entry's
    balance after is the platform's figure), the rows written with bulk inserts. No event: no
    app listens to the shop while its history is made."""
    from emporium.finance import ledger
    from emporium.finance.models import Entry, Posting
    from emporium.lib import money

    postings, legs_of = [], []
    for at, reason, reference, legs in sorted(drafts, key=lambda draft: draft[0]):
        legs = [leg for leg in legs if leg.amount != 0]
        if len(legs) < 2 or not all(money.is_cents(leg.amount) for leg in legs):
            raise ledger.LedgerError(f"posting {reason} {reference} is malformed")
        if sum(leg.amount for leg in legs) != 0:
            raise ledger.LedgerError(f"posting {reason} {reference} does not balance")
        postings.append(Posting(reason=reason, reference=reference, created_at=at))
        legs_of.append(legs)
    if not postings:
        return
    Posting.objects.bulk_create(postings, batch_size=1000)
    flat = [leg for legs in legs_of for leg in legs]
    after = iter(ledger._move_balances(flat))
    Entry.objects.bulk_create(
        (Entry(posting=posting, account=leg.account, amount=leg.amount, balance_after=next(after))
         for posting, legs in zip(postings, legs_of, strict=True) for leg in legs),
        batch_size=1000,
    )  # fmt: skip


CHILD_STEPS: dict[str, Callable[..., dict]] = {"prepare": prepare, "prepare_year": prepare_year}


# --- the stub, for contrast ---------------------------------------------------------------------


def stub_api(rows: list[dict]) -> Starlette:
    """`GET /api/v1/finance/balance-transactions` over `rows`: a cursor is the next index."""

    async def balance_transactions(request: Request) -> JSONResponse:
        start = int(request.query_params.get("cursor") or 0)
        limit = min(int(request.query_params.get("limit") or PAGE), PAGE)
        more = start + limit < len(rows)
        return JSONResponse({"data": rows[start : start + limit],
                             "next_cursor": str(start + limit) if more else None})  # fmt: skip

    return Starlette(routes=[Route("/api/v1/finance/balance-transactions", balance_transactions)])


def stub_backfill(rows: list[dict], work: Path) -> float:
    """Seconds to book `rows` (the platform's own list, as JSON) served from memory."""
    from emporium.live_apps import AppServer

    server = AppServer(stub_api(rows), free_port()).start()
    store = Store(work / "stub.sqlite3")
    store.save_shop("shop", "Busy shop")
    store.open_accounts("shop", books.CHART)
    client = Client(server.url, access_token="bench")  # noqa: S106
    started = time.perf_counter()
    booked = ingest.catch_up(client, store, "shop")
    seconds = time.perf_counter() - started
    server.stop()
    assert booked == len(rows), booked
    return seconds


# --- the run ------------------------------------------------------------------------------------


def p50(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def prepared_database(orders: int, movements: int | None, env: dict[str, str]) -> dict:
    """The marketplace of --orders orders (or of about --movements balance transactions),
    prepared once and copied for each run."""
    name = f"prepared-{orders}" if movements is None else f"prepared-year-{movements}"
    kept = VAR / f"{name}.sqlite3"
    facts = VAR / f"{name}.json"
    fresh_var(VAR)
    if not kept.exists() or not facts.exists():
        what = f"{orders} orders" if movements is None else f"a year of {movements} movements"
        print(f"preparing {what} in {VAR} (once)", flush=True)
        started = time.perf_counter()
        script = str(Path(__file__).resolve())
        if movements is None:
            prepared = run_child(script, "prepare", env, orders=orders)
        else:
            prepared = run_child(script, "prepare_year", env, movements=movements)
        prepared["prepare_seconds"] = round(time.perf_counter() - started)
        shutil.copy(VAR / "emporium.sqlite3", kept)
        facts.write_text(json.dumps(prepared))
    shutil.copy(kept, VAR / "emporium.sqlite3")
    # A database kept by an older commit gets the schema of this one (e.g. a new index).
    subprocess.run([sys.executable, "-m", "emporium.cli", "manage", "migrate", "--no-input",
                    "-v", "0"], env=env, check=True)  # fmt: skip
    return json.loads(facts.read_text())


def markdown(body: list[str]) -> str:
    """The paragraph wrapped like the rest of docs/, each bullet on its own (indented) lines."""
    return "\n".join(
        textwrap.fill(line, width=100, subsequent_indent="  ", break_on_hyphens=False)
        if line.startswith("- ") else wrap(line) for line in body
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--movements", type=int, help="a year of this many, built in bulk")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--child-args", default="{}")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD_STEPS[args.child](**json.loads(args.child_args))))
        return
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    env = bench_env()
    prepared = prepared_database(args.orders, args.movements, env)
    if args.prepare_only:
        return
    port = free_port()
    platform_url = f"http://127.0.0.1:{port}"
    env["SITE_URL"] = platform_url
    os.environ.update(env)  # this process lists and installs the app: the same database
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from emporium_books.purchases import BUYER_SCOPES
    from emporium_books.web import PURPOSE, SCOPES, TOPICS, build
    from emporium_sdk.viewpass import issue_pass

    from emporium.ecosystem.models import App
    from emporium.live_apps import AppServer, install_over_http, list_app
    from emporium.market import listings
    from emporium.members.models import Member
    from emporium.shops.models import Shop

    work = Path(tempfile.mkdtemp(prefix="bench-books-"))
    server = start_server(port, env)
    app_server = None
    try:
        wait_until_up(platform_url, server)
        listed = list_app(
            Member.objects.get(username="bench-dev"), name="Books", category="finance",
            scopes=SCOPES, buyer_scopes=BUYER_SCOPES, topics=TOPICS,
            plans=[listings.PlanSpec(name="Free", kind="free")],
        )  # fmt: skip
        # A listed app's usual tier (600 calls a minute): the backfill is not throttled here.
        App.objects.filter(pk=listed.app.pk).update(tier=App.Tier.STANDARD)
        web = build(Config(platform_url=platform_url, public_url=listed.url,
                           client_id=listed.app.client_id, client_secret=listed.secret,
                           webhook_secrets=listed.hook.secret, data_dir=work / "books"))  # fmt: skip
        state = web.state.books
        app_server = AppServer(web, listed.port).start()
        shop = Shop.objects.get(public_id=prepared["shop"])
        shop_id = str(shop.public_id)

        started = time.perf_counter()
        install_over_http(platform_url, listed.url, listed.listing, shop, "Free")
        installed = time.perf_counter()
        first_page = None  # the orders read (and the open ones again) before the movements
        while not (found := state.store.shop(shop_id)) or not found.backfilled:
            if time.perf_counter() - installed > 3600:
                raise SystemExit("the backfill did not finish within an hour")
            if first_page is None and found and found.seen:
                first_page = time.perf_counter() - installed
            time.sleep(0.02)
        backfill = time.perf_counter() - installed
        orders_phase = first_page if first_page is not None else backfill
        oauth = installed - started
        movements = sum(1 for t in state.store.transactions(shop_id)
                        if (t.source or "").startswith("btx_"))  # fmt: skip
        balances = state.store.balances(shop_id)
        with state.client(shop_id) as client:
            reported = client.finance.get_balance()
            platform_rows = [row.model_dump(mode="json") for row in
                             client.finance.list_balance_transactions(limit=PAGE)]  # fmt: skip
        assert len(platform_rows) == movements, (len(platform_rows), movements)
        assert balances[books.PLATFORM_BALANCE] == Decimal(reported.available.amount)
        escrow_books = balances.get(books.ESCROW, Decimal("0.00"))
        escrow_platform = Decimal(reported.escrow.amount)
        assert sum(balances.values()) == 0
        started = time.perf_counter()
        assert state.catch_up(shop_id) == 0  # the whole history again: nothing new
        replay = time.perf_counter() - started
        stub = stub_backfill(platform_rows, work)

        view_pass = issue_pass(shop_id, listed.secret, purpose=PURPOSE)
        pages = {"home": ("/home", {}), "reports": ("/reports", {}),
                 "csv": ("/reports/profit-and-loss.csv", {}), "reconcile": ("/reconcile", {}),
                 "reconcile_all": ("/reconcile", {"window": "all"})}  # fmt: skip
        figures = {}
        with httpx.Client(base_url=listed.url, timeout=60) as seller:
            for name, (path, params) in pages.items():

                def get(path=path, params=params):
                    answer = seller.get(path, params={"pass": view_pass, **params})
                    assert answer.status_code == 200, (path, answer.status_code)

                get()  # warm
                figures[name] = p50(get, args.runs)
    finally:
        if app_server is not None:
            app_server.stop()
        stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    rate = movements / backfill
    orders = prepared.get("orders", args.orders)
    lines = [
        f"- The shop: {orders:,} orders over 2025 ({prepared['settled']:,} settled, "
        f"{prepared['refunded_before']} refunded in part before settlement, "
        f"{prepared['returned_after']} returned after it, {prepared['in_escrow']} still in "
        f"escrow), {prepared['withdrawals']} withdrawals, {prepared['app_charges']} app charges: "
        f"**{movements:,} balance transactions**.",
        f"- Backfill over the real platform, from the OAuth callback to the end of the first "
        f"catch-up (orders, open orders, every balance transaction, booked and checked against "
        f"`GET /finance/balance`): **{backfill:.1f} s** ({rate:,.0f} movements/s; the OAuth "
        f"install before it {oauth:.1f} s); of it, reading the {orders:,} orders (and the open "
        f"ones again) before the first page of movements took {orders_phase:.1f} s, the "
        f"movements {backfill - orders_phase:.1f} s. A second catch-up over the whole history books "
        f"nothing in {replay:.1f} s. Escrow: books {escrow_books}, platform {escrow_platform}"
        f"{'' if escrow_books == escrow_platform else ' (they differ: see docs/books.md)'}.",
        f"- The same {movements:,} movements from a stub serving them from memory (the app's "
        f"side alone): {stub:.1f} s; **real / stub = ×{backfill / stub:.1f}**"
        + (
            "."
            if args.movements is not None
            else f". At the measured rate the issue's year of {YEAR_OF_A_BUSY_SHOP:,} movements would "
            f"take ~{YEAR_OF_A_BUSY_SHOP / rate / 60:.0f} min (extrapolated, not measured)."
        ),
        f"- Pages over HTTP with a view pass, p50 of {args.runs}: home "
        f"**{figures['home'] * 1000:.0f} ms**, reports (P&L by month, balance sheet, spending, "
        f"cash flow) **{figures['reports'] * 1000:.0f} ms**, P&L CSV "
        f"{figures['csv'] * 1000:.0f} ms, reconciliation (the platform asked for its balance, "
        f"and for newer movements only when the app's copy of its statement lacks them) "
        f"**{figures['reconcile'] * 1000:.0f} ms**, over the whole history (`?window=all`) "
        f"{figures['reconcile_all'] * 1000:.0f} ms.",
        f"- Load averages (1/5/15 min) before: {' '.join(load_before)}; after: "
        f"{' '.join(load_after)} (2 cores shared with other work).",
    ]
    print("\n".join(lines))
    if args.write_docs:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()  # fmt: skip
        how = (f"--orders {args.orders}" if args.movements is None
               else f"--movements {args.movements}")  # fmt: skip
        body = [
            f"`uv run python bench/books.py {how}` (commit {commit}, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC). The platform served by granian "
            "(2 workers) over SQLite; the books app installed over OAuth and backfilling "
            "through the API as it does for a seller. "
            + (
                "The shop's year made by the platform's trading functions (about 0.3 s an order "
                f"here, {prepared.get('prepare_seconds', 0) // 60} min for these "
                f"{orders:,}), so the issue's year of {YEAR_OF_A_BUSY_SHOP:,} movements is "
                "extrapolated from the rate. "
                if args.movements is None
                else "The shop's year made by `prepare_year` (the plain path of each order written "
                "in bulk a day at a time as the trading functions write it, the ledger's own "
                "balance arithmetic for every entry; refunds, returns, withdrawals and app "
                "charges by the trading and finance functions themselves; the books checked "
                f"with `check_trading_books`), in {prepared.get('prepare_seconds', 0)} s. "
            )
            + "The machine is shared (see the load averages): absolute figures are noisy, the "
            "ratio less so.",
            "",
            *lines,
        ]
        DOCS.write_text(replace_section(DOCS.read_text(), SECTION, markdown(body)))
        print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
