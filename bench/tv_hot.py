"""Load benchmark of the hot-items API that feeds the TV mall's home screen, at several scales.

    uv run python bench/tv_hot.py [--items 400,100000] [--seconds 15] [--connections 32]
                                  [--threads 2] [--browser N] [--write-docs]

Per scale it keeps a var dir (var/bench-tv-<items>, seeded once with the demo's items, shops and
trading, reused afterwards), registers an app and takes a client-credentials token
(`catalog:read`, as the TV does when signed out), starts `uvicorn --workers 2` on a free loopback
port, and runs `wrk --latency` on `GET /api/v1/catalog/hot?limit=12` (the home screen's first
row) and on the same per category (its category rows); then starts the TV app (apps/tv) on the
same token and runs wrk on its home screen's data (`GET /data/home`). It prints requests/s and p99 per scale
and the ratio of each scale against the first one (the demo's). Any non-200 fails the run.

With `--browser N` it also opens the TV's page N times in Chromium (1920 x 1080, a new context
each time: a cold browser cache, as a TV switched on), before any load, and prints the median of
the page's `home-usable` performance mark: milliseconds from navigation start to the first row
drawn and focused (the issue asks under 1.5 s). The app's own 20 s row cache is warm by then.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    DOCS,
    PROJECT,
    free_port,
    replace_section,
    start_server,
    stop_server,
    wait_until_up,
)  # noqa: E402
from item_blocks import parse_wrk  # noqa: E402

HEADING = "## TV mall: the hot-items API (issue 20)"
CHROMIUM, CHROMIUM_ARGS = "/usr/bin/chromium", ["--no-sandbox", "--disable-gpu"]

SEED = """
import django, json, time
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from emporium.catalog.models import Item
from emporium.demo.seed import seed_demo
from emporium.demo.trading import seed_trading
from emporium.ecosystem.registration import register_app
from emporium.members.models import Member
from emporium.samples.cast import DEVELOPER
items = int(__import__("sys").argv[1])
if Item.objects.count() < items:
    seed_demo(items=items)
    seed_trading()
dana = Member.objects.get(username=DEVELOPER.username)
app, secret = register_app(dana, name=f"TV bench {time.time_ns()}", redirect_uris=["https://tv.example.com/"],
                           scopes=["catalog:read"])
print(json.dumps({"client_id": app.client_id, "secret": secret,
                  "items": Item.objects.count()}))
"""


def env_for(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(EMPORIUM_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="emporium.settings", DEBUG="0",
               PAYMENTS_SANDBOX="1",  # seed_trading funds the demo buyers through the sandbox
               LOG_LEVEL="WARNING", API_RATE_LIMITS="free=100000000/60,standard=100000000/60,"
               "premium=100000000/60", API_CALL_LOG_THREAD="1")  # fmt: skip
    return env


def wrk(url: str, token: str, seconds: str, args: argparse.Namespace) -> str:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}", "--timeout",
               "10s", "--latency", "-H", f"Authorization: Bearer {token}", url]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def measure(items: int, args: argparse.Namespace) -> dict:
    var = PROJECT / "var" / f"bench-tv-{items}"
    var.mkdir(parents=True, exist_ok=True)
    env = env_for(var)
    seeded = subprocess.run([sys.executable, "-c", SEED, str(items)], cwd=PROJECT, env=env,  # noqa: S603
                            capture_output=True, text=True, check=False)  # fmt: skip
    if seeded.returncode:
        raise SystemExit(f"seeding {var} failed:\n{seeded.stderr[-2000:]}")
    app = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, env)
    try:
        wait_until_up(base, server)
        token = httpx.post(f"{base}/o/token/", data={"grant_type": "client_credentials",
                           "scope": "catalog:read"}, auth=(app["client_id"], app["secret"]),
                           timeout=30).json()["access_token"]  # fmt: skip
        categories = httpx.get(f"{base}/api/v1/categories", timeout=30,
                               headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
        paths = {"hot": "/api/v1/catalog/hot?limit=12",
                 "hot in a category": f"/api/v1/catalog/hot?limit=12&category={categories[0]['slug']}"}  # fmt: skip
        runs = {}
        for name, path in paths.items():
            check = httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)
            if check.status_code != 200 or not check.json():
                raise SystemExit(f"{path} answered {check.status_code} {check.text[:200]}")
            wrk(base + path, token, "2s", args)  # warm-up
            run = parse_wrk(name, wrk(base + path, token, f"{args.seconds:g}s", args))
            if run.errors:
                raise SystemExit(f"{run.errors} answers to {path} were not 200")
            runs[name] = run
        runs["TV home (the app)"], usable = tv_home(base, app, var, args)
        return {"items": app["items"], "runs": runs, "usable": usable}
    finally:
        stop_server(server)


def tv_home(platform: str, app: dict, var: Path, args: argparse.Namespace):
    """The TV app in its own process (signed out: the app's client-credentials token), and wrk on
    its home screen's data, `GET /data/home`: the rows of hot items it builds from the API."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TV_PLATFORM_URL": platform, "TV_PUBLIC_URL": url,
           "TV_CLIENT_ID": app["client_id"], "TV_CLIENT_SECRET": app["secret"],
           "TV_DATA_DIR": str(var / "tv")}  # fmt: skip
    command = [sys.executable, "-m", "emporium_tv", "serve", "--port", str(port), "--quiet"]
    tv = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if tv.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the TV app did not start")
            time.sleep(0.3)
        home = httpx.get(f"{url}/data/home", timeout=60)
        if home.status_code != 200 or not home.json()["rows"][0]["items"]:
            raise SystemExit(f"the TV's home answered {home.status_code} {home.text[:200]}")
        usable = home_usable(url, args.browser) if args.browser else []
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "-d2s", "--timeout",
                   "10s", "--latency", f"{url}/data/home"]  # fmt: skip
        subprocess.run(command, capture_output=True, check=True)  # noqa: S603 - warm-up
        command[3] = f"-d{args.seconds:g}s"
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
        run = parse_wrk("TV home (the app)", out)
        if run.errors:
            raise SystemExit(f"{run.errors} answers of the TV's home were not 200")
        return run, usable
    finally:
        stop_server(tv)


def home_usable(url: str, loads: int) -> list[float]:
    """Milliseconds from navigation start to the TV page's `home-usable` mark, per cold load."""
    from playwright.sync_api import sync_playwright

    marks = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                              locale="en-GB")  # fmt: skip
                page = context.new_page()
                page.goto(url)
                page.wait_for_function("window.__tv && window.__tv.ready", timeout=60_000)
                marks.append(
                    page.evaluate("performance.getEntriesByName('home-usable')[0].startTime")
                )
                context.close()
        finally:
            browser.close()
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", default="400,100000")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--browser", type=int, default=0, metavar="N",
                        help="also time N cold loads of the TV home in Chromium")  # fmt: skip
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    results = [measure(int(n), args) for n in args.items.split(",")]
    base = results[0]
    lines = ["| items | endpoint | requests/s | p50 ms | p99 ms | requests/s vs first scale |",
             "|---:|---|---:|---:|---:|---:|"]  # fmt: skip
    for result in results:
        for name, run in result["runs"].items():
            ratio = run.rate / base["runs"][name].rate
            lines.append(f"| {result['items']:,} | {name} | {run.rate:,.0f} | {run.p50_ms:.1f} | "
                         f"{run.p99_ms:.1f} | {ratio:.2f} |")  # fmt: skip
    table = "\n".join(lines)
    print(table)
    for result in results:
        if result["usable"]:
            marks = result["usable"]
            print(f"TV home usable at {result['items']:,} items ({len(marks)} cold loads, Chromium "
                  f"1920 x 1080): median {statistics.median(marks):.0f} ms, min {min(marks):.0f}, "
                  f"max {max(marks):.0f}")  # fmt: skip
    if args.write_docs:
        section = (f"{HEADING}\n\n`uv run python bench/tv_hot.py --items {args.items} "
                   f"--seconds {args.seconds:g}` (wrk -t{args.threads} -c{args.connections}, "
                   f"uvicorn --workers 2, SQLite, a client-credentials token):\n\n{table}\n")  # fmt: skip
        DOCS.write_text(replace_section(DOCS.read_text(), HEADING, section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
