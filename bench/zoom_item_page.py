"""Time from loading the real storefront item page to the zoom viewer's first sharp view, in Chromium.

    uv run python bench/zoom_item_page.py [--loads 5] [--var var/bench-zoom-page]

It runs `emporium demo` itself (the platform and the zoom app only, other apps off) on a var dir
of its own — copied from `var/bench-tv-400` when that exists, so the 400-item demo with Mei's
fabric close-ups need not be seeded again — waits until the zoom app has tiled the first
close-up item's pictures, then loads that item's page `--loads` times, each in a fresh browser
context (a cold cache), and measures from navigation to OpenSeadragon's fully-loaded view inside
the item page's sandboxed block frame. `bench/zoom.py` measures the same view framed by a bare
stand-in page, so the difference is what the item page itself adds.
"""

import argparse
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import PROJECT, free_port  # noqa: E402

SHARP = (
    "window.zoomViewer && zoomViewer.world.getItemCount() === 1 && "
    "zoomViewer.world.getItemAt(0).getFullyLoaded()"
)


def close_up_item(var: Path) -> str:
    with sqlite3.connect(var / "emporium.sqlite3") as db:
        (public_id,) = db.execute(
            "SELECT i.public_id FROM catalog_item i JOIN catalog_itemimage p ON p.item_id = i.id "
            "WHERE p.width >= 2000 AND i.status = 'on_sale' ORDER BY i.id LIMIT 1"
        ).fetchone()
    return str(uuid.UUID(str(public_id)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--var", default=str(PROJECT / "var" / "bench-zoom-page"))
    args = parser.parse_args()
    var = Path(args.var)
    seeded = PROJECT / "var" / "bench-tv-400"
    if not var.exists() and (seeded / "emporium.sqlite3").exists():
        shutil.copytree(seeded, var, ignore=shutil.ignore_patterns("tv", "queue.sqlite3*"))
    port, zoom_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(EMPORIUM_VAR_DIR=str(var), DEBUG="0", LOG_LEVEL="WARNING", PAYMENTS_SANDBOX="1")
    command = [str(Path(sys.executable).parent / "emporium"), "demo", "--port", str(port), "--zoom-port",
               str(zoom_port), "--stats-port", "0", "--decor-port", "0", "--fitting-port", "0",
               "--tv-port", "0"]  # fmt: skip
    log = open(var.parent / f"{var.name}.log", "w")  # noqa: SIM115 - the demo's output, kept
    demo = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                            start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        item_url = f"{base}/item/{wait_for_viewer(base, var, demo)}/"
        timings = measure(item_url, args.loads)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.wait(30)
        log.close()
    print(f"first sharp view on the item page ({args.loads} cold loads, ms): "
          f"{[round(t) for t in timings]}; median {statistics.median(timings):.0f}, "
          f"min {min(timings):.0f}, max {max(timings):.0f}")  # fmt: skip
    return 0


def wait_for_viewer(base: str, var: Path, demo: subprocess.Popen, timeout: float = 600) -> str:
    """The close-up item, once its page shows the block and the app has tiled its pictures."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if demo.poll() is not None:
            raise SystemExit(f"the demo stopped (code {demo.returncode}); see its log")
        try:
            item = close_up_item(var)
            page = httpx.get(f"{base}/item/{item}/", timeout=10)
            block = page.text.split('data-testid="item-blocks-gallery"')[1:]
            if block:
                src = block[0].split('src="')[1].split('"')[0].replace("&amp;", "&")
                viewer = httpx.get(src, timeout=10).text
                if '"zoom": true' in viewer or '"zoom":true' in viewer:
                    return item
        except (httpx.HTTPError, sqlite3.Error, TypeError, IndexError):
            pass
        time.sleep(2)
    raise SystemExit("the zoom viewer never showed a tiled picture on the item page")


def measure(item_url: str, loads: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(item_url, wait_until="commit")
            page.locator("[data-testid=item-block]").wait_for(timeout=60_000)
            deadline = time.monotonic() + 60
            while not any("/block?" in f.url for f in page.frames):
                assert time.monotonic() < deadline, "the block frame never loaded"
                page.wait_for_timeout(10)
            frame = next(f for f in page.frames if "/block?" in f.url)
            frame.wait_for_function(SHARP, timeout=60_000, polling=20)
            timings.append((time.perf_counter() - start) * 1000)
            context.close()
        browser.close()
    return timings


if __name__ == "__main__":
    raise SystemExit(main())
