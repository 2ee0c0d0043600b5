"""The decorated shop page (20 sections) against the undecorated one, and bulk description
throughput of the decoration app within the default API rate limit.

    uv run python bench/decor.py [--items 200] [--seconds 15] [--connections 32]
                                 [--apply-items 60] [--write-docs]

It builds a fresh marketplace in its own var dir (var/bench-decor, or $BENCH_DECOR_VAR_DIR) in a
child process: one shop with `--items` items on sale (24 of them with real photographs from
scikit-image's sample data), six shop categories, and a free-tier app's access token (items
read and write) — the default tier, so the default rate limit. Then, one after the other:

1. server time: the shop page rendered in-process by Django's test client, 40 times without a
   design and 40 times with a published 20-section design (banners, carousels, item grids of
   every rule, category navigation, text, pictures with text, a coupon strip, custom HTML):
   median milliseconds and database queries per page, and their ratio;
2. load: `wrk` against `uvicorn --workers 2`, the same page undecorated then decorated:
   requests/s, p50 and p99, and the ratio;
3. bulk apply: the app's own description job (emporium_decor.descriptions.Jobs, two calls per
   item: read, then write) over `--apply-items` items against the same server with the default
   limits (free tier: a bucket of 60 calls refilled at 1 call/s): items/s and API calls/s,
   beside what the limit allows over the same time; the SDK's retries wait out every 429.

A failed page, a failed item, or an item whose description did not change fails the run.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

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

VAR = Path(os.environ.get("BENCH_DECOR_VAR_DIR", PROJECT / "var" / "bench-decor")).resolve()
HEADING = "## Shop decoration: the decorated shop page and bulk descriptions (issue 16)"
RENDERS = 40
FREE_TIER = (60, 60)  # settings.API_RATE_LIMITS' default for the free tier: 60 calls per 60 s


def bench_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "API_RATE_LIMITS")
    }
    env.update(EMPORIUM_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="emporium.settings", DEBUG="0",
               LOG_LEVEL="WARNING")  # fmt: skip
    return env


# --- inside Django, in child processes ------------------------------------------------------------


def prepare(items: int) -> dict:
    import django

    django.setup()
    import io
    import secrets
    from datetime import timedelta
    from decimal import Decimal

    import skimage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model
    from PIL import Image

    from emporium.catalog import services as catalog
    from emporium.catalog.models import Category, Item
    from emporium.catalog.services.pictures import add_image
    from emporium.members.models import Member
    from emporium.shops.models import ShopCategory
    from emporium.shops.services import open_shop

    call_command("migrate", verbosity=0)
    seller = Member.objects.create_user("bench-seller", password=secrets.token_hex(8))
    developer = Member.objects.create_user(
        "bench-dev", password=secrets.token_hex(8), is_developer=True
    )
    shop = open_shop(seller, name="Bench decor shop")
    groups = [
        ShopCategory.objects.create(shop=shop, name=f"Group {n}", position=n) for n in range(6)
    ]
    dresses = Category.objects.get(slug="dresses")
    photos = Path(skimage.__file__).parent / "data"
    names = [
        "astronaut.png",
        "chelsea.png",
        "coffee.png",
        "rocket.jpg",
        "motorcycle_left.png",
        "hubble_deep_field.jpg",
    ]
    jpegs = []
    for name in names:
        out = io.BytesIO()
        Image.open(photos / name).convert("RGB").save(out, "JPEG", quality=85)
        jpegs.append(out.getvalue())
    for n in range(items):
        item = catalog.create_item(
            shop, title=f"Linen dress no. {n}", category=dresses, option_names=[],
            skus=[catalog.SkuSpec(options={}, price=Decimal(f"{59 + n % 300}.00"), stock=10)],
            status=Item.Status.ON_SALE, description_html=f"<p>Washed linen, no. {n}.</p>",
        )  # fmt: skip
        item.shop_categories.add(groups[n % 6])
        if n < 24:
            add_image(item, SimpleUploadedFile(f"{n}.jpg", jpegs[n % 6], content_type="image/jpeg"))
    Item.objects.filter(shop=shop).update(sales_count=0)
    app = get_application_model().objects.create(
        name="Bench decor", user=developer, client_type="confidential",
        authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1/cb",
    )  # fmt: skip
    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=raw, user=seller, application=app, scope="items:read items:write",
        expires=timezone.now() + timedelta(hours=2),
    )  # fmt: skip
    return {"shop": str(shop.public_id), "slug": shop.slug, "token": raw, "tier": app.tier}


def twenty_sections(shop) -> list[dict]:
    from emporium.catalog.models import Item, ItemImage
    from emporium.shops.models import ShopCategory

    keys = list(
        ItemImage.objects.filter(item__shop=shop).order_by("pk").values_list("key", flat=True)
    )
    ids = [
        str(i)
        for i in Item.objects.filter(shop=shop)
        .order_by("pk")
        .values_list("public_id", flat=True)[:12]
    ]
    groups = list(ShopCategory.objects.filter(shop=shop).values_list("pk", flat=True))
    slides = [
        {"type": "slide", "settings": {"picture": k, "caption": f"Slide {n}"}}
        for n, k in enumerate(keys[:6])
    ]
    text = "<p>Washed linen, cut wide, with <strong>deep pockets</strong>.</p>"
    return [
        {"type": "banner", "settings": {"picture": keys[0], "heading": "Summer sale", "link_item": ids[0]}},
        {"type": "carousel", "settings": {"heading": "Lookbook"}, "blocks": slides},
        {"type": "item_grid", "settings": {"heading": "Newest", "rule": "newest", "limit": 8}},
        {"type": "item_grid", "settings": {"heading": "Best sellers", "rule": "best_selling", "limit": 8}},
        {"type": "category_nav", "settings": {"heading": "Browse"}},
        {"type": "item_grid", "settings": {"heading": "Group 1", "rule": "category", "category": groups[1]}},
        {"type": "picture_text", "settings": {"picture": keys[1], "heading": "Our linen", "text": text}},
        {"type": "item_grid", "settings": {"heading": "Under 100", "rule": "price_band", "max_price": "100.00"}},
        {"type": "rich_text", "settings": {"heading": "Care", "text": text}},
        {"type": "item_grid", "settings": {"heading": "Picked", "rule": "hand_picked", "items": ids}},
        {"type": "coupon_strip", "settings": {"heading": "Coupons"}},
        {"type": "banner", "settings": {"picture": keys[2], "heading": "New season", "height": "small"}},
        {"type": "carousel", "settings": {"heading": "More"}, "blocks": slides[::-1]},
        {"type": "picture_text", "settings": {"picture": keys[3], "heading": "Made slowly", "text": text,
                                              "layout": "picture_right"}},
        {"type": "item_grid", "settings": {"heading": "Group 2", "rule": "category", "category": groups[2]}},
        {"type": "custom_html", "settings": {"html": "<h3>Free shipping</h3><p>On every order.</p>"}},
        {"type": "category_nav", "settings": {"heading": "Groups"},
         "blocks": [{"type": "category", "settings": {"category": g, "picture": keys[i]}}
                    for i, g in enumerate(groups)]},
        {"type": "rich_text", "settings": {"heading": "Sizes",
                                           "text": "<table><tr><td>S</td><td>84</td></tr></table>"}},
        {"type": "item_grid", "settings": {"heading": "More", "rule": "best_selling", "limit": 12}},
        {"type": "banner", "settings": {"picture": keys[4], "heading": "Soon", "height": "small"}},
    ]  # fmt: skip


def decorate(shop_id: str) -> dict:
    import django

    django.setup()
    from emporium.design import actions
    from emporium.shops.models import Shop

    shop = Shop.objects.get(public_id=shop_id)
    actions.save_draft(shop, {"sections": twenty_sections(shop)})
    version = actions.publish(shop)
    return {"version": version.number}


def render(slug: str) -> dict:
    """Server time: the page rendered in this process, no network, no load generator."""
    import django

    django.setup()
    from statistics import median

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    path = f"/shop/{slug}/"
    client.get(path)  # warm caches and templates
    times = []
    for _ in range(RENDERS):
        start = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return {"median_ms": median(times), "queries": len(queries), "bytes": len(page),
            "decorated": "Summer sale" in page}  # fmt: skip


CHILD_STEPS = {"prepare": prepare, "decorate": decorate, "render": render}


# --- load and bulk apply -------------------------------------------------------------------------


def wrk(url: str, seconds: int, connections: int) -> dict:
    """`wrk` with its latency distribution: requests/s, p50, p99 and any non-2xx answers."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    done = subprocess.run(command,
                          capture_output=True, text=True, check=True)  # fmt: skip
    out = done.stdout

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            raise SystemExit(f"no {label}% in wrk's output:\n{out}")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"),
            "p99": ms("99"), "requests": requests, "bad": int(bad.group(1)) if bad else 0}  # fmt: skip


def bulk_apply(base_url: str, token: str, count: int) -> dict:
    """The decoration app's job, as it runs for a seller, against the default rate limit."""
    from emporium_decor import descriptions
    from emporium_decor.store import Store
    from emporium_sdk import Client

    store = Store(VAR / "decor-bench.sqlite3")
    jobs = descriptions.Jobs(store)
    with Client(base_url, access_token=token) as client:
        every = list(client.items.list(limit=100, status="on_sale"))
        chosen = every[:count]
        options = descriptions.Options.parse({"size_chart": "Size, Chest\nS, 84\nM, 88\nL, 92",
                                              "wash_care": "Hand wash cold"}, ("/",))  # fmt: skip
        job_id = jobs.plan("bench", descriptions.BY_ID["size_chart"], options, chosen, every)
        start = time.monotonic()
        jobs.run(client, job_id)
        seconds = time.monotonic() - start
        status = jobs.status(job_id)
        changed = sum("<table>" in client.items.get(i.id).description_html for i in chosen)
    if status is None or status.failed or status.applied != count or changed != count:
        raise SystemExit(f"bulk apply: {status} and {changed} of {count} items changed")
    calls = 2 * count
    capacity, window = FREE_TIER
    allowed = capacity + seconds * capacity / window  # a full bucket, then the refill
    return {"items": count, "seconds": seconds, "items_per_s": count / seconds,
            "calls_per_s": calls / seconds, "allowed_calls": allowed, "used": calls / allowed}  # fmt: skip


def report(prepared: dict, plain: dict, decorated: dict, load: dict, bulk: dict, args) -> str:
    ratio = decorated["median_ms"] / plain["median_ms"]
    rows = [
        "| page | server ms (median) | queries | req/s (wrk) | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
        f"| undecorated | {plain['median_ms']:.1f} | {plain['queries']} | {load['plain']['rate']:.0f} "
        f"| {load['plain']['p50']:.1f} | {load['plain']['p99']:.1f} |",
        f"| decorated, 20 sections | {decorated['median_ms']:.1f} | {decorated['queries']} "
        f"| {load['decorated']['rate']:.0f} | {load['decorated']['p50']:.1f} | {load['decorated']['p99']:.1f} |",
    ]
    rate_ratio = load["decorated"]["rate"] / load["plain"]["rate"]
    return "\n\n".join(
        [
            f"Measured {time.strftime('%Y-%m-%d')} with:",
            f"```\nuv run python bench/decor.py --items {args.items} --seconds {args.seconds} "
            f"--connections {args.connections} --apply-items {args.apply_items} --write-docs\n```",
            f"**Machine.** {machine()}. wrk runs on the same cores as the server: the figures are a floor. "
            f"One-minute load average {args.load_before:.1f} before the run (other work on the machine "
            "counts in it).",
            f"**Data.** One shop with {args.items} items on sale (24 with photographs), six shop "
            "categories; the design has 20 sections of every kind (docs/decor.md).",
            "\n".join(rows),
            f"**Ratio, decorated ÷ undecorated:** server time {ratio:.2f}×, requests/s {rate_ratio:.2f}×.",
            f"**Bulk descriptions** (the app's job, read + write per item, free tier: 60 calls, then "
            f"1 a second): {bulk['items']} items in {bulk['seconds']:.1f} s = {bulk['items_per_s']:.2f} "
            f"items/s, {bulk['calls_per_s']:.2f} calls/s; the limit allowed {bulk['allowed_calls']:.0f} "
            f"calls in that time and the job used {bulk['used']:.0%} of them, no item failed (the "
            "SDK waited out each 429's Retry-After).",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--apply-items", type=int, default=60)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--child-args", default="{}")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD_STEPS[args.child](**json.loads(args.child_args))))
        return 0

    args.load_before = os.getloadavg()[0]
    env = bench_env()
    fresh_var(VAR)
    (VAR / "decor-bench.sqlite3").unlink(missing_ok=True)
    script = str(Path(__file__).resolve())
    print(f"preparing {args.items} items in {VAR}", flush=True)
    prepared = run_child(script, "prepare", env, items=args.items)
    plain = run_child(script, "render", env, slug=prepared["slug"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, {**env, "SITE_URL": base})
    try:
        wait_until_up(base, server)
        page = f"{base}/shop/{prepared['slug']}/"
        load = {"plain": wrk(page, args.seconds, args.connections)}
        run_child(script, "decorate", env, shop_id=prepared["shop"])
        decorated = run_child(script, "render", env, slug=prepared["slug"])
        if not decorated["decorated"] or plain["decorated"]:
            raise SystemExit("the design is not where it should be")
        load["decorated"] = wrk(page, args.seconds, args.connections)
        for name, found in load.items():
            if found["bad"]:
                raise SystemExit(f"{name}: {found['bad']} answers were not 2xx")
        print(f"bulk apply over {args.apply_items} items at the free tier's limit", flush=True)
        bulk = bulk_apply(base, prepared["token"], args.apply_items)
    finally:
        stop_server(server)
    section = report(prepared, plain, decorated, load, bulk, args)
    print(section)
    if args.write_docs:
        text = DOCS.read_text()
        body = "\n\n".join(wrap(block) for block in section.split("\n\n"))
        DOCS.write_text(replace_section(text, HEADING, body))
        print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
