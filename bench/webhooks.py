"""Benchmark: webhook deliveries per second to a local receiver, and event-to-receipt latency.

    uv run python bench/webhooks.py [--events 3000] [--rate 100] [--seconds 20] [--write-docs]

WEBHOOK_BENCH_VAR=dir: the data directory (default /tmp/emporium-bench-webhooks; emptied at the
start), so two checkouts can be measured one after the other without sharing one.

Tracing: WH_SCRIPT=path runs that script as each dispatcher process instead (e.g. one adding a
connection.execute_wrapper that logs every query with its duration).

A real receiver (uvicorn on loopback, bench/webhook_receiver.py) and a real dispatcher process
(the worker's loop) against a fresh SQLite database (or DATABASE_URL). Once the dispatchers run
and idle, phase 1 commits a backlog of events in one transaction and times how fast they empty
it (from the commit to the last arrival), with the CPU each process used per delivery — a
figure the machine's load changes far less than the rate; phase 2 writes events at a steady
rate, in separate transactions as requests would, and measures the time from each event's
commit to its arrival at the receiver (p50/p99).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from harness import DOCS, PROJECT, free_port, percentile, replace_section, stop_server

VAR = os.environ.get("WEBHOOK_BENCH_VAR", "/tmp/emporium-bench-webhooks")
DISPATCHER = """
import threading, django
django.setup()
from emporium.events import dispatcher
dispatcher.run_forever(threading.Event())
"""
if os.environ.get("WH_SCRIPT"):
    DISPATCHER = Path(os.environ["WH_SCRIPT"]).read_text()


def bench_env() -> dict[str, str]:
    env = {**os.environ, "EMPORIUM_VAR_DIR": VAR, "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
           "DJANGO_SETTINGS_MODULE": "emporium.settings", "LOG_LEVEL": "ERROR"}  # fmt: skip
    return env


def start_receiver(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "webhook_receiver:app", "--host", "127.0.0.1",
               "--port", str(port), "--no-access-log", "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT / "bench", start_new_session=True)  # noqa: S603


def start_dispatcher(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", DISPATCHER], cwd=PROJECT, env=env, start_new_session=True
    )


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    if connection.vendor != "sqlite":  # SQLite starts from a fresh file; PostgreSQL is emptied
        call_command("flush", interactive=False, verbosity=0)


def prepare(receiver_url: str):
    from emporium.ecosystem.installations import installed
    from emporium.ecosystem.models import App
    from emporium.events import endpoints
    from emporium.members.models import Member
    from emporium.shops.services import open_shop

    seller = Member.objects.create_user("bench-seller", password="x" * 20)  # noqa: S106
    developer = Member.objects.create_user("bench-dev", password="x" * 20)  # noqa: S106
    shop = open_shop(seller, name="Bench Shop")
    app = App.objects.create(name="Bench receiver", user=developer, client_type="confidential",
                             authorization_grant_type="authorization-code",
                             redirect_uris="http://127.0.0.1/cb",
                             requested_scopes="shop:read")  # fmt: skip
    installed(app, shop, ["shop:read"])
    endpoints.subscribe(app, receiver_url, ["shop.updated"])
    return shop


def write_events(shop, count: int, one_transaction: bool) -> None:
    from django.db import transaction

    from emporium.events import outbox
    from emporium.resources.shop import shop_out

    data = {"shop": shop_out(shop)}
    if one_transaction:  # one INSERT: the backlog appears at once, at its commit
        with transaction.atomic():
            outbox.record_many(shop, [("shop.updated", data)] * count)
        return
    for _ in range(count):
        with transaction.atomic():
            outbox.record("shop.updated", shop=shop, data=data)


def stats(base: str, reset: bool = False) -> dict:
    return httpx.get(base + ("/reset" if reset else "/stats"), timeout=30).json()


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU a running process has used so far (Linux /proc)."""
    fields = open(f"/proc/{process.pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_published(timeout: float = 120) -> None:
    """The dispatchers are up: they have published what `prepare` wrote."""
    from emporium.events.models import Event

    deadline = time.monotonic() + timeout
    while Event.objects.filter(position__isnull=True).exists():
        if time.monotonic() > deadline:
            raise SystemExit("the dispatchers did not start")
        time.sleep(0.1)


def wait_for(base: str, count: int, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = stats(base)
        if got["received"] >= count:
            return got
        time.sleep(0.2)
    raise SystemExit(f"only {stats(base)['received']} of {count} events arrived in {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000, help="backlog size (phase 1)")
    parser.add_argument("--rate", type=float, default=100, help="events/s in phase 2")
    parser.add_argument("--seconds", type=float, default=20, help="length of phase 2")
    parser.add_argument("--dispatchers", type=int, default=1, help="dispatcher processes")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    shutil.rmtree(VAR, ignore_errors=True)
    env = bench_env()
    setup_django(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    receiver = start_receiver(port)
    dispatchers: list[subprocess.Popen] = []
    try:
        for _ in range(100):
            try:
                stats(base)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        shop = prepare(base + "/hooks")
        dispatchers = [start_dispatcher(env) for _ in range(args.dispatchers)]
        wait_until_published()
        time.sleep(0.5)  # idle now: the wait for new events is part of what is measured
        # Phase 1: a backlog, delivered as fast as the dispatchers can.
        cpu = [cpu_seconds(p) for p in [*dispatchers, receiver]]
        write_events(shop, args.events, one_transaction=True)
        started = time.time()
        got = wait_for(base, args.events, timeout=600)
        cpu = [
            cpu_seconds(p) - before for p, before in zip([*dispatchers, receiver], cpu, strict=True)
        ]
        throughput = args.events / (got["last"] - started)
        stats(base, reset=True)
        # Phase 2: steady load at --rate, each event its own transaction.
        total = int(args.rate * args.seconds)
        began = time.monotonic()
        for n in range(total):
            write_events(shop, 1, one_transaction=False)
            pause = began + (n + 1) / args.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        produced_rate = total / (time.monotonic() - began)
        got = wait_for(base, total, timeout=300)
        lat = got["latencies"]
        result = {
            "backlog": args.events,
            "deliveries_per_s": throughput,
            "dispatcher_cpu_ms": sum(cpu[:-1]) * 1000 / args.events,
            "receiver_cpu_ms": cpu[-1] * 1000 / args.events,
            "load_events": total,
            "load_rate": produced_rate,
            "p50_ms": percentile(lat, 0.50) * 1000,
            "p99_ms": percentile(lat, 0.99) * 1000,
            "max_ms": (lat[-1] if lat else 0) * 1000,
        }
    finally:
        for dispatcher in dispatchers:
            stop_server(dispatcher)
        stop_server(receiver)
    from django.conf import settings

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {db}, {args.dispatchers} dispatcher(s) of {settings.WEBHOOK_SENDERS} senders")
    print(f"phase 1: {result['backlog']} queued events delivered at "
          f"{result['deliveries_per_s']:.0f} deliveries/s; CPU per delivery: dispatcher(s) "
          f"{result['dispatcher_cpu_ms']:.2f} ms, receiver {result['receiver_cpu_ms']:.2f} ms "
          f"(one core's ceiling {1000 / result['dispatcher_cpu_ms']:.0f}/s)")  # fmt: skip
    print(f"phase 2: {result['load_events']} events at {result['load_rate']:.0f}/s: "
          f"event-to-receipt p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
          f"max {result['max_ms']:.0f} ms")  # fmt: skip
    if args.write_docs:
        write_docs(result, db)
    return 0


def write_docs(r: dict, db: str) -> None:
    section = f"""Command: `uv run python bench/webhooks.py --write-docs` ({db}; a uvicorn receiver and
one dispatcher process on the same 2 cores; `shop.updated` events of ~600 bytes, signed).

| measure | figure |
|---|---:|
| backlog of {r["backlog"]} events: deliveries/s | {r["deliveries_per_s"]:.0f} |
| CPU per delivery: dispatcher / receiver | {r["dispatcher_cpu_ms"]:.2f} / {r["receiver_cpu_ms"]:.2f} ms |
| steady load: events/s written (one transaction each) | {r["load_rate"]:.0f} |
| event commit → receipt, p50 | {r["p50_ms"]:.0f} ms |
| event commit → receipt, p99 | {r["p99_ms"]:.0f} ms |
| event commit → receipt, max | {r["max_ms"]:.0f} ms |

On SQLite the latency includes the dispatcher's idle poll (WEBHOOK_IDLE_SECONDS, 20 ms); on
PostgreSQL an idle dispatcher is woken by the event's NOTIFY."""
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    DOCS.write_text(replace_section(text, "## Webhook delivery", section))


if __name__ == "__main__":
    sys.exit(main())
