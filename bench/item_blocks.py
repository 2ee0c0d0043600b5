"""The item page with two item-page app blocks beside the same page without blocks, loaded by wrk.

    uv run python bench/item_blocks.py [--seconds 15] [--connections 32] [--threads 2]
                                       [--rounds 3] [--write-docs]

It builds a fresh marketplace in its own var dir (var/bench-item-blocks, or
$BENCH_ITEM_BLOCKS_VAR_DIR) in a child process: two shops with the same item (3 SKUs, the same
description), two listed apps whose item-page blocks (beside the gallery, under the buy box) the
first shop turns on for all its items. It starts `uvicorn --workers 2` on a free loopback port and
runs `wrk --latency` against each item page in turn, `--rounds` times (alternating, so a drift of
the machine touches both), then prints requests/s, p50 and p99 of each and their ratio. A page that
is not 200, or a blocks page without its two sandboxed frames and their origins in the CSP, fails
the run. wrk shares the machine's cores with the server, so the figures are a floor.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import machine  # noqa: E402
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

VAR = Path(
    os.environ.get("BENCH_ITEM_BLOCKS_VAR_DIR", PROJECT / "var" / "bench-item-blocks")
).resolve()
HEADING = "## Item page with app blocks (issue 15)"
WORKERS = 2
WARM_UP = "2s"


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        EMPORIUM_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    return env


# --- inside Django, in a child process -----------------------------------------------------------


def prepare() -> dict:
    """Two shops with the same item; two apps' item-page blocks on every item of the first."""
    import django

    django.setup()
    import secrets
    from decimal import Decimal

    from django.core.management import call_command

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.ecosystem.registration import register_app
    from emporium.market import installs, item_blocks, listings
    from emporium.market.listings import BlockSpec, PlanSpec
    from emporium.members.models import Member
    from emporium.shops.services import open_shop

    call_command("migrate", verbosity=0)
    password = secrets.token_hex(8)
    developer = Member.objects.create_user("bench-dev", password=password, is_developer=True)
    dresses = Category.objects.get(slug="dresses")
    sizes = [
        catalog.SkuSpec(options={"Size": size}, price=Decimal(f"{199 + n}.00"), stock=10)
        for n, size in enumerate(("S", "M", "L"))
    ]
    pages = {}
    for name in ("with-blocks", "without-blocks"):
        seller = Member.objects.create_user(f"bench-{name}", password=password)
        shop = open_shop(seller, name=f"Bench {name}")
        item = catalog.create_item(
            shop, title="Linen dress", category=dresses, option_names=["Size"], skus=sizes,
            status=Item.Status.ON_SALE, description_html="<p>Cut from washed linen.</p>",
        )  # fmt: skip
        pages[name] = (shop, f"/item/{item.public_id}/")
    shop = pages["with-blocks"][0]
    for n, (app_name, where) in enumerate((("Zoom", "gallery"), ("Fitting room", "buybox"))):
        app, _secret = register_app(
            developer, name=app_name, redirect_uris=[f"https://app{n}.example/cb"],
            scopes=["shop:read"],
        )  # fmt: skip
        listing = listings.save_listing(
            app, name=app_name, summary_en="A block", description_en="A block.",
            category="buyer", scopes=["shop:read"], plans=[PlanSpec("Free", "free")],
            blocks=[BlockSpec(app_name, f"https://app{n}.example/block", where)], submit=True,
        )  # fmt: skip
        listings.approve(listing)
        installs.install(shop, listing, listing.plans.get())
        item_blocks.turn_on(shop, listing.blocks.get().pk, all_items=True)
    return {name: path for name, (_shop, path) in pages.items()}


def in_process(paths: dict[str, str], renders: int) -> dict[str, float]:
    """Milliseconds per page rendered by Django in this process (no HTTP, no other worker), the
    pages alternating in batches of 20: a steadier ratio when the machine is busy."""
    import time

    import django

    django.setup()
    from django.test import Client

    client = Client()
    spent = dict.fromkeys(paths, 0.0)
    for path in paths.values():
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200 in process.")
    for _ in range(renders // 20):
        for name, path in paths.items():
            start = time.perf_counter()
            for _ in range(20):
                client.get(path)
            spent[name] += time.perf_counter() - start
    return {name: spent[name] * 1000 / (renders // 20 * 20) for name in paths}


# --- load ----------------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(name: str, out: str) -> Run:
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    if done is None:
        raise SystemExit(f"wrk said something unexpected:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Run(
        name=name,
        requests=int(done.group(1)),
        seconds=_ms(done.group(2) + done.group(3)) / 1000,
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket.groups()) if socket else 0),
        p50_ms=_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
    )


def wrk(url: str, seconds: str, args: argparse.Namespace) -> str:
    # A generous timeout: on a shared machine a slow answer is a figure, not an error.
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}",
               "--timeout", "10s", "--latency", url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout


def check_pages(base_url: str, paths: dict[str, str]) -> None:
    """The two pages differ by their blocks and nothing else that matters here."""
    with_blocks = httpx.get(base_url + paths["with-blocks"], timeout=30)
    without = httpx.get(base_url + paths["without-blocks"], timeout=30)
    if with_blocks.status_code != 200 or without.status_code != 200:
        raise SystemExit("An item page did not answer 200.")
    if with_blocks.text.count('sandbox="allow-scripts"') != 2:
        raise SystemExit("The blocks page does not show its two sandboxed blocks.")
    policy = with_blocks.headers.get("Content-Security-Policy", "")
    if "frame-src https://app0.example https://app1.example;" not in policy:
        raise SystemExit(f"The blocks page's CSP does not name the block origins: {policy}")
    if "sandbox=" in without.text:
        raise SystemExit("The page without blocks shows a block.")


def combine(name: str, runs: list[Run]) -> Run:
    """Rounds of one scenario as one: requests over time; p50 and p99 as the mean of the rounds'."""
    return Run(
        name=name,
        requests=sum(r.requests for r in runs),
        seconds=sum(r.seconds for r in runs),
        errors=sum(r.errors for r in runs),
        p50_ms=sum(r.p50_ms for r in runs) / len(runs),
        p99_ms=sum(r.p99_ms for r in runs) / len(runs),
    )


def measure(base_url: str, paths: dict[str, str], args: argparse.Namespace) -> list[Run]:
    names = {"without-blocks": "item page, no blocks", "with-blocks": "item page, 2 blocks"}
    for path in paths.values():
        wrk(base_url + path, WARM_UP, args)
    runs: dict[str, list[Run]] = {key: [] for key in names}
    for n in range(args.rounds):
        for key in names:
            run = parse_wrk(names[key], wrk(base_url + paths[key], f"{args.seconds:g}s", args))
            print(f"round {n + 1}: {format_row(run)}", flush=True)
            runs[key].append(run)
    return [combine(names[key], runs[key]) for key in names]


# --- report --------------------------------------------------------------------------------------


def format_header() -> str:
    return (
        f"| {'scenario':<22} | requests | errors | req/s | p50 ms | p99 ms |\n"
        f"|{'-' * 24}|---------:|-------:|------:|-------:|-------:|"
    )


def format_row(r: Run) -> str:
    return (
        f"| {r.name:<22} | {r.requests:>8,} | {r.errors:>6} | {r.rate:>5.0f} "
        f"| {r.p50_ms:>6.1f} | {r.p99_ms:>6.1f} |"
    )


def summary(bare: Run, blocks: Run) -> str:
    cost = WORKERS * 1000 / blocks.rate - WORKERS * 1000 / bare.rate
    return (
        f"blocks/none: req/s × {blocks.rate / bare.rate:.2f}, p50 × {blocks.p50_ms / bare.p50_ms:.2f}, "
        f"p99 × {blocks.p99_ms / bare.p99_ms:.2f}; two blocks add about {cost:.1f} ms of server "
        "time per page."
    )


def write_docs(results: list[Run], args: argparse.Namespace, notes: dict) -> None:
    bare, blocks = results
    command = (
        f"uv run python bench/item_blocks.py --seconds {args.seconds:g} --connections "
        f"{args.connections} --threads {args.threads} --rounds {args.rounds} --renders "
        f"{args.renders} --write-docs"
    )
    parts = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with:",
        f"```\n{command}\n```",
        f"**Machine.** {notes['machine']}; {notes['wrk']}. One-minute load average "
        f"{notes['load_before']:.1f} before the run and {notes['load_after']:.1f} at its end. wrk "
        f"({args.threads} threads, {args.connections} keep-alive connections) shares the "
        f"{os.cpu_count()} cores with the server's {WORKERS} workers, so the figures are a floor; "
        "the ratio is what this section is about."
        + (
            " Other work was using the machine at the time, so absolute figures are noisy; "
            "repeat on a quiet machine before comparing them with other sections."
            if notes["load_before"] > 2
            else ""
        ),
        "**Setup.** A fresh SQLite database (WAL) in `var/bench-item-blocks`: two shops with the "
        "same item (3 SKUs, the same description, no pictures). The first shop installed two "
        "listed apps and turned on their item-page blocks (beside the gallery, under the buy box) "
        f"for all its items. `uvicorn emporium.asgi:application --workers {WORKERS}`, DEBUG off. "
        f"Each page is warmed up for {WARM_UP}, then loaded for {args.seconds:g} s per round, "
        f"{args.rounds} rounds alternating between the pages.",
        "**What the blocks cost.** The item query asks, in the same statement, whether the shop "
        "places item-page blocks at all; a shop that does pays one more query for all of them "
        "(placements, reviewed blocks, installations, suspensions) and, per block, the app's "
        "sealed secret unsealed once (Fernet) and a context signed (HS256).",
        format_header() + "\n" + "\n".join(format_row(r) for r in results),
        f"**Ratio.** {summary(bare, blocks)}",
        f"**In process.** The same two pages rendered by Django in one process, without HTTP "
        f"({notes['renders']} renders each, alternating in batches of 20): "
        f"{notes['inprocess']['without-blocks']:.1f} ms without blocks, "
        f"{notes['inprocess']['with-blocks']:.1f} ms with two — × "
        f"{notes['inprocess']['with-blocks'] / notes['inprocess']['without-blocks']:.2f}, "
        f"{notes['inprocess']['with-blocks'] - notes['inprocess']['without-blocks']:.1f} ms for "
        "the two blocks. Steadier than the figures under load when the machine is shared.",
    ]
    section = "\n\n".join(wrap(part) for part in parts)
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    DOCS.write_text(replace_section(text, HEADING, section))
    print(f"Wrote the figures to {DOCS.relative_to(PROJECT)}.")


# --- main ----------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per page and round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    parser.add_argument("--renders", type=int, default=600, help="in-process renders per page")
    parser.add_argument("--child", choices=["prepare", "in_process"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.child:
        sys.path.insert(0, str(PROJECT))
        step = {"prepare": prepare, "in_process": in_process}[args.child]
        print(json.dumps(step(**json.loads(args.child_args))))
        return 0
    if shutil.which("wrk") is None:
        print("FAILED: wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return 1
    fresh_var(VAR)
    print(f"Preparing two shops in {VAR}…", flush=True)
    paths = run_child(__file__, "prepare", bench_env())
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    notes: dict = {
        "machine": machine(),
        "load_before": os.getloadavg()[0],
        "wrk": ((version.stdout or version.stderr).splitlines() or ["wrk"])[0].split(" [")[0],
    }
    port = free_port()
    server = start_server(port, bench_env(), WORKERS)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, server)
        check_pages(base_url, paths)
        print(f"Machine: {notes['machine']}; load average {notes['load_before']:.1f}")
        print("Note: wrk shares these cores with the server.")
        results = measure(base_url, paths, args)
    finally:
        stop_server(server)
    notes["load_after"] = os.getloadavg()[0]
    print(format_header())
    for result in results:
        print(format_row(result))
    print(summary(*results))
    notes["renders"] = args.renders
    notes["inprocess"] = run_child(
        __file__, "in_process", bench_env(), paths=paths, renders=args.renders
    )
    ms = notes["inprocess"]
    print(
        f"In process: {ms['without-blocks']:.1f} ms without blocks, {ms['with-blocks']:.1f} ms "
        f"with two (× {ms['with-blocks'] / ms['without-blocks']:.2f})."
    )
    if any(r.errors for r in results):
        print("FAILED: some answers were not 200.", file=sys.stderr)
        return 1
    if args.write_docs:
        write_docs(results, args, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
