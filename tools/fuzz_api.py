"""`./dev fuzz`: schemathesis over the whole Open API, against a real server, with a time cap.

Every phase schemathesis has (examples, coverage, fuzzing, stateful) runs against the platform
served by `emporium serve` on a throw-away database: a fresh SQLite file, or — when DATABASE_URL
names PostgreSQL — a fresh database `<name>_fuzz` on that server, dropped afterwards. A seller
with a shop, an item, an order and a token holding every scope is the caller. Checks: no server
error, and every status, content type, header and body as the document says.

Budget (environment): API_FUZZ_EXAMPLES per operation (default 100, the issue's budget),
API_FUZZ_SECONDS for the whole run (default 120; CI's cap is 3 minutes per database; 0 means no
cap, the whole budget), API_FUZZ_SEED to replay a run (default: random, printed). The cap can
cut the run short: each pass ends with how many operations had their fuzzing finish before the
cap (fully covered) and how many were cut by it. Exit status: schemathesis's (non-zero on any
failure).
"""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCOPES = (
    "shop:read shop:write items:read items:write orders:read orders:write refunds:read "
    "refunds:write promotions:read promotions:write reviews:read reviews:write customers:read "
    "finance:read catalog:read design:read design:write pictures:read pictures:write"
)
BUYER_SCOPES = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write buyer:pay"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


def say(message: str) -> None:
    print(f"fuzz: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_postgres(url: str) -> tuple[str, str]:
    """A new empty database beside the one `url` names; returns its URL and name."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fuzz"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SEED = """
from decimal import Decimal
import secrets
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model
from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.finance.wallets import fund_in_sandbox
from emporium.members.models import Address, Member
from emporium.shops.services import open_shop
from emporium.trade import orders

seller = Member.objects.create_user("mei", password=secrets.token_hex(8))
buyer = Member.objects.create_user("bob", password=secrets.token_hex(8))
developer = Member.objects.create_user("dana", password=secrets.token_hex(8), is_developer=True)
shop = open_shop(seller, name="Mei's Closet", description="Dresses")
item = catalog.create_item(
    shop, title="Linen dress", option_names=["Size"], category=Category.objects.get(slug="dresses"),
    skus=[catalog.SkuSpec(options={"Size": s}, price=Decimal("99.00"), stock=50) for s in "SM"],
    status=Item.Status.ON_SALE,
)
fund_in_sandbox(buyer, Decimal("1000.00"))
address = Address.objects.create(member=buyer, recipient="Bob", phone="13800000000",
    province="Zhejiang", city="Hangzhou", street="1 West Lake Road", is_default=True)
(order,) = orders.checkout(buyer, address, [(item.skus.first(), 1)])
orders.pay(buyer, [order])
app = get_application_model().objects.create(
    name="Fuzzer", user=developer, client_type="confidential",
    authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1/cb",
    tier="premium", requested_scopes=SCOPES)
from emporium.ecosystem import buyer_grants
buyer_grants.consent(buyer, app, BUYER_SCOPES.split())
for member, scope in ((seller, SCOPES), (buyer, BUYER_SCOPES)):
    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(token=raw, user=member, application=app, scope=scope,
        expires=timezone.now() + timedelta(hours=2))
    print(raw)
"""


def main() -> int:
    examples = os.environ.get("API_FUZZ_EXAMPLES", "100")
    seconds = int(os.environ.get("API_FUZZ_SECONDS", "120"))
    seed = os.environ.get("API_FUZZ_SEED") or str(random.SystemRandom().randrange(2**31))
    var = Path(tempfile.mkdtemp(prefix="emporium-fuzz-"))
    given_url = os.environ.get("DATABASE_URL", "")
    pg_name = ""
    if given_url.startswith("postgres"):
        database_url, pg_name = fresh_postgres(given_url)
    else:
        database_url = f"sqlite:///{var}/fuzz.sqlite3"
    env = {
        **os.environ,
        "EMPORIUM_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "PAYMENTS_SANDBOX": "1",
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        # The fuzzer is one caller sending fast: the per-app limit is not what is tested here.
        "API_RATE_LIMITS": "free=100000/60,standard=100000/60,premium=100000/60",
    }
    env.pop("REDIS_URL", None)
    server = None
    try:
        say(f"database {database_url.split('@')[-1]}, data directory {var}")
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "emporium.cli", "manage", "migrate", "-v", "0"], env=env,
            check=True,
        )  # fmt: skip
        seeded = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"SCOPES = {SCOPES!r}\nBUYER_SCOPES = {BUYER_SCOPES!r}\n{SEED}"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        shop_token, buyer_token = seeded.stdout.strip().splitlines()[-2:]
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "emporium.cli", "serve", "--port", str(port)], env=env,
            stdout=subprocess.DEVNULL, stderr=(var / "server.log").open("w"),
        )  # fmt: skip
        schema_url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        wait_for(schema_url, server)
        cap = f"{seconds} s at most" if seconds else "no time cap"
        say(f"{examples} examples per operation, {cap}, seed {seed}")
        started = time.monotonic()
        # Two callers: a shop's token on the shop operations (4/5 of the time), a buyer's on /me.
        shop_seconds = max(1, seconds * 4 // 5) if seconds else 0
        passes = [
            ("a shop's token", shop_token, shop_seconds, "--exclude-path-regex"),
            (
                "a buyer's token",
                buyer_token,
                max(1, seconds - shop_seconds) if seconds else 0,
                "--include-path-regex",
            ),
        ]
        failed = 0
        reports: list[Path] = []
        for who, token, budget, selection in passes:
            say(f"operations for {who}, " + (f"{budget} s" if budget else "no time cap"))
            report = var / f"pass{len(reports)}.ndjson"
            reports.append(report)
            run = subprocess.run(  # noqa: S603
                [
                    sys.executable, "-m", "schemathesis.cli", "run", schema_url,
                    selection, "^/api/v1/me",
                    "--phases", "examples,coverage,fuzzing,stateful", "--checks", CHECKS,
                    "--max-examples", examples, "--seed", seed,
                    *(["--max-time", str(budget)] if budget else []),
                    "--workers", "1", "--request-timeout", "30",
                    "--header", f"Authorization: Bearer {token}",
                    "--suppress-health-check", "all", "--no-color",
                    "--report", "ndjson", "--report-ndjson-path", str(report),
                ],
                env=env,
                cwd=var,  # its example database (.schemathesis/) stays out of the checkout
            )  # fmt: skip
            failed = failed or run.returncode
            covered, cut = fuzzing_coverage(report, budget, int(examples))
            say(
                f"{who}: {len(covered)} operations fully covered ({examples} fuzzing examples "
                f"each), {len(cut)} cut short by the "
                + (f"{budget} s cap" if budget else "cap")
                + (f": {', '.join(sorted(cut))}" if 0 < len(cut) <= 10 else "")
            )
        say(f"finished in {time.monotonic() - started:.0f} s with status {failed}")
        if failed:
            tail = (var / "server.log").read_text(errors="replace")[-4000:]
            say(f"the server's log ends with:\n{tail}")
        return failed
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        if pg_name:
            drop_postgres(given_url, pg_name)
        shutil.rmtree(var, ignore_errors=True)


def fuzzing_coverage(report: Path, budget: int, examples: int) -> tuple[set[str], set[str]]:
    """From schemathesis's NDJSON events: the operations whose fuzzing reached the example budget
    and those the time cap cut short. Under a cap schemathesis fuzzes in cycles, a few cases per
    operation a cycle, so an operation's cases are summed over its fuzzing scenarios. Without a
    cap one scenario spends the whole budget (or every distinct input): every one is covered.
    Operations with few distinct inputs (no parameters, no body) count as cut under a cap even
    when there is nothing more to try — an upper bound on what was cut, never an overstatement."""
    operations: set[str] = set()
    cases: dict[str, int] = {}
    if not report.exists():
        return set(), set()
    for line in report.read_text().splitlines():
        event = json.loads(line)
        scenario = event.get("ScenarioFinished")
        if scenario is None or scenario["phase"] not in ("coverage", "fuzzing"):
            continue
        label = scenario["recorder"].get("label", "")
        operations.add(label)
        if scenario["phase"] == "fuzzing":
            cases[label] = cases.get(label, 0) + len(scenario["recorder"].get("cases") or {})
    covered = {label for label, n in cases.items() if not budget or n >= examples}
    return covered, operations - covered


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own loopback URL
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"fuzz: the server did not answer {url} within {timeout:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
