"""Fault tests with real processes: the web server killed with SIGKILL in the middle of payments
and of checkouts (orders placed through /me/orders with Idempotency-Key), the worker in the middle
of settlements, the database going away under a running server, the media disk filling up.

Each time: the ledger balances, no order is half-paid, half-made or paid twice, a retried
checkout gets the order its key made (never a second), stock taken equals the lines ordered,
every order that exists has its events in the outbox once (none lost, none repeated, none for
an order that was never made), nothing is settled twice,
the server answers 503/507 with Retry-After (never a 500) and recovers without a restart, and
a write that found no room leaves neither a row nor a partial file.
(The worker killed in the middle of webhook deliveries is in emporium/events/tests/test_faults.py.)
"""

import concurrent.futures
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)
CSRF = "f" * 32  # an unmasked CSRF secret: the same in the cookie and the form is accepted


def database_url() -> str:
    """The test database, as a URL another process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_env(var: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMPORIUM_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "PAYMENTS_SANDBOX": "1",
        "API_CALL_LOG_THREAD": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # sessions made here are signed with it
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


class Server:
    """`emporium serve` on a free port, as its own process."""

    def __init__(self, var: Path, **extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = process_env(var, **extra)
        self.log = (var / f"server-{self.port}.log").open("w")
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "emporium.cli", "serve", "--port", str(self.port)],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited at start"
            try:
                httpx.get(self.url + "/api/v1/events/topics", timeout=5)
                return self
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError("the server never answered")

    def kill(self) -> None:
        """kill -9 of the server and its worker processes: the web server forks its workers, which
        outlive a killed parent (and would go on serving) unless the whole group is killed."""
        self._signal(signal.SIGKILL, 10)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, 20)

    def _signal(self, sent: int, wait: float) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sent)
        self.process.wait(wait)


@pytest.fixture
def servers(tmp_path):
    started: list[Server] = []

    def start(**extra: str) -> Server:
        server = Server(tmp_path, **extra).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def browser_of(member, base_url: str) -> httpx.Client:
    """An HTTP client holding `member`'s session (made here, in the shared database) and a CSRF
    cookie, as a logged-in browser would."""
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return httpx.Client(
        base_url=base_url, timeout=30,
        cookies={settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: CSRF},
    )  # fmt: skip


@pytest.fixture
def listened(shop):
    """An app installed on Mei's shop, so her orders' events are written (a shop no app listens
    to has nobody to tell: events/announce.py)."""
    from emporium.api.tests.conftest import make_app
    from emporium.ecosystem import installations
    from emporium.fixtures import make_member

    app = make_app(make_member("lena", is_developer=True), name="Order Watcher")
    installations.installed(app, shop, ["orders:read"])
    return shop


def assert_events_once(topic: str, shop, orders) -> None:
    """The outbox holds one `topic` event for each of `orders` and for no other order of the
    shop: none lost with a killed process, none written twice by a retry."""
    from collections import Counter

    from emporium.events.models import Event

    found = Event.objects.filter(topic=topic, shop=shop).values_list("data", flat=True)
    named = Counter(data["order"]["id"] for data in found)
    expected = Counter(str(order.public_id) for order in orders)
    assert named == expected, f"{topic}: lost {expected - named}, extra {named - expected}"


# --- the web server killed in the middle of payments -------------------------------------------


def test_a_web_server_killed_among_payments_leaves_each_order_paid_once_or_not_at_all(
    servers, make_item, shop, listened, funded_buyer, address, books_balance
):
    from emporium.finance import ledger
    from emporium.finance.models import Posting
    from emporium.trade import orders
    from emporium.trade.models import Order, OrderLog

    sku = make_item(shop, price="100.00", stock=100).skus.get()
    pending = [orders.checkout(funded_buyer, address, [(sku, 1)])[0] for _ in range(24)]
    wallet = ledger.wallet_code(funded_buyer)
    before = ledger.balance_of(wallet)
    server = servers()
    answers: list[int] = []

    def pay(order: Order, base_url: str) -> None:
        with browser_of(funded_buyer, base_url) as browser:
            try:
                response = browser.post(
                    f"/orders/pay/?orders={order.public_id}", data={"csrfmiddlewaretoken": CSRF}
                )
                answers.append(response.status_code)
            except httpx.HTTPError:
                answers.append(0)  # the server died under this request

    threads = [threading.Thread(target=pay, args=(o, server.url)) for o in pending]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while not Order.objects.filter(status="paid").exists():
        assert time.monotonic() < deadline, f"no payment went through: {answers}"
        time.sleep(0.02)
    server.kill()  # kill -9, in the middle: some paid, maybe one half-way, the rest not yet
    for thread in threads:
        thread.join(60)
    assert 0 in answers or len(answers) == len(pending)
    assert 500 not in answers

    paid_now = Order.objects.filter(pk__in=[o.pk for o in pending], status="paid").count()
    books_balance()  # what the dead server committed is whole: each payment all or nothing
    # ... its events with it: order.paid for each order it paid, for no other
    assert_events_once("order.paid", shop, Order.objects.filter(status="paid"))
    assert ledger.balance_of(wallet) == before - paid_now * Decimal("100.00")

    restarted = servers()  # the buyer pays the rest through a new server
    for order in Order.objects.filter(pk__in=[o.pk for o in pending], status="pending_payment"):
        pay(order, restarted.url)
    assert set(Order.objects.filter(pk__in=[o.pk for o in pending]).values_list(
        "status", flat=True)) == {"paid"}  # fmt: skip
    assert ledger.balance_of(wallet) == before - len(pending) * Decimal("100.00")
    for order in pending:  # paid once: one posting, one log line
        assert Posting.objects.filter(reference=f"orders:{order.number}").count() == 1
        assert OrderLog.objects.filter(order=order, to_status="paid").count() == 1
    books_balance()
    assert_events_once("order.created", shop, pending)
    assert_events_once("order.paid", shop, pending)


# --- the worker killed in the middle of settlements ---------------------------------------------

SETTLER = """
import django
django.setup()
from emporium.trade.orders import settle_completed_orders
settle_completed_orders()
"""


def test_a_worker_killed_among_settlements_settles_each_order_once_after_restart(
    tmp_path, make_item, shop, funded_buyer, address, books_balance
):
    from emporium.finance import ledger
    from emporium.finance.models import Posting
    from emporium.trade import orders
    from emporium.trade.models import Order

    sku = make_item(shop, price="50.00", stock=200).skus.get()
    made = [orders.checkout(funded_buyer, address, [(sku, 1)])[0] for _ in range(40)]
    for start in range(0, len(made), 20):  # the pay page takes 20 orders at most
        orders.pay(funded_buyer, made[start : start + 20])
    for order in made:
        orders.ship(order, "SF Express", "SF1")
    # Completed, settlement owed: what the worker's order clock catches up on.
    Order.objects.filter(pk__in=[o.pk for o in made]).update(status="completed")
    books_balance()
    worker = subprocess.Popen([sys.executable, "-c", SETTLER], env=process_env(tmp_path))  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while not Order.objects.filter(status="settled").exists():
            assert time.monotonic() < deadline, "the worker settled nothing"
            assert worker.poll() is None, "the worker finished before it could be killed"
            time.sleep(0.01)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    settled_by_the_dead = Order.objects.filter(status="settled").count()
    assert 0 < settled_by_the_dead < len(made), "the kill did not land in the middle"
    books_balance()  # what it committed is whole

    assert orders.settle_completed_orders() == len(made) - settled_by_the_dead  # the restart
    assert set(Order.objects.values_list("status", flat=True)) == {"settled"}
    for order in made:
        assert (
            Posting.objects.filter(reason="settlement", reference=f"order:{order.number}").count()
            == 1
        )
    seller_gets = ledger.balance_of(ledger.seller_balance(shop.owner).code)
    assert seller_gets > 0
    books_balance()


# --- the database going away under a running server --------------------------------------------


def outage_answer(response: httpx.Response, api: bool) -> None:
    assert response.status_code == 503, response.text[:500]
    assert int(response.headers["Retry-After"]) > 0
    if api:
        assert response.json()["error"]["code"] == "service_unavailable"


def test_the_database_going_away_answers_503_and_the_server_recovers_by_itself(
    servers, shop, item, seller, make_token_for
):
    token = make_token_for(seller)
    # PostgreSQL: persistent connections, as a scaled-out web process keeps them (a dead one
    # fails its request, then is closed). SQLite: the embedded default, a connection a request,
    # and a write waits 1 s (not 30) for another process's lock.
    server = servers(DB_CONN_MAX_AGE="600" if on_postgres() else "0", SQLITE_BUSY_SECONDS="1")
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})
    page = f"/item/{item.public_id}/"

    def rename(to: str) -> httpx.Response:
        return api.patch("/api/v1/shop", json={"description": to})

    assert rename("before").status_code == 200
    assert api.get(page).status_code == 200
    with database_away():
        for attempt in range(2):
            outage_answer(rename(f"during {attempt}"), api=True)
            if on_postgres():  # SQLite readers go on reading beside a held write lock (WAL)
                outage_answer(api.get(page), api=False)
    # Back, and no restart: the next requests open new connections.
    answers = [rename("after").status_code for _ in range(3)]
    assert answers[-1] == 200 and set(answers) <= {200, 503}, answers
    assert api.get(page).status_code == 200
    assert server.process.poll() is None
    shop.refresh_from_db()
    assert shop.description == "after"


def maintenance():
    """A connection to the server's `postgres` database, to change ours from outside."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


class database_away:
    """PostgreSQL: our test database refuses new connections and its server-side connections
    are ended (pg_terminate_backend on this database only, never the shared server's others).
    SQLite (a file, which does not go away): another process holds the write lock."""

    def __enter__(self) -> None:
        if on_postgres():
            name = connection.settings_dict["NAME"]
            with maintenance() as admin:  # a database cannot refuse its own connections
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            with connection.cursor() as cursor:  # ours, the test's own, stays
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        else:
            import sqlite3

            self.holder = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
            self.holder.isolation_level = None
            self.holder.execute("BEGIN EXCLUSIVE")

    def __exit__(self, *exc: object) -> None:
        if on_postgres():
            name = connection.settings_dict["NAME"]
            with maintenance() as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        else:
            self.holder.execute("ROLLBACK")
            self.holder.close()


@pytest.fixture
def make_token_for(db):
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    from emporium.api.tests.conftest import ALL_SCOPES, make_app
    from emporium.fixtures import make_member

    app = make_app(make_member("dana", is_developer=True))

    def make(member) -> str:
        raw = secrets.token_urlsafe(24)
        get_access_token_model().objects.create(
            token=raw, user=member, application=app, scope=ALL_SCOPES,
            expires=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
        return raw

    return make


# --- a full disk under the media directory ------------------------------------------------------


@pytest.fixture
def tiny_media(tmp_path):
    """A 256 KiB filesystem for the media directory: a tmpfs, which needs root (CI runs as root)."""
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(media)],  # noqa: S607
        capture_output=True,
    ).returncode == 0  # fmt: skip
    if not mounted:
        pytest.skip("mounting a small filesystem needs root")
    yield media
    subprocess.run(["umount", "-l", str(media)], check=False)  # noqa: S603, S607


def test_a_full_media_disk_answers_507_and_leaves_no_row_and_no_partial_file(
    servers, tiny_media, shop, item, seller, make_token_for
):
    from emporium.pictures.models import Picture

    media = tiny_media
    token = make_token_for(seller)
    server = servers(MEDIA_ROOT=str(media))
    api = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    # Noise compresses badly: each picture is a few hundred KiB, more than the disk holds.
    answers = []
    for n in range(6):  # pictures are stored by content: each one differs
        body = noisy_png()
        response = api.post("/api/v1/pictures", files={"image": (f"p{n}.png", body, "image/png")})
        answers.append(response.status_code)
        if response.status_code == 507:
            assert response.json()["error"]["code"] == "insufficient_storage"
            break
    assert 507 in answers, answers
    assert 500 not in answers
    stored = set(Picture.objects.filter(shop=shop).values_list("key", flat=True))
    assert stored, "the first pictures fitted and were kept"
    files = [p for p in (media / "pictures").rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")], "a half-written file was left"
    # Every file is a whole variant of a stored picture; every stored picture has all its sizes.
    assert {p.name.split("_")[0] for p in files} <= stored, files
    for key in stored:
        assert len([p for p in files if p.name.startswith(key)]) == len(
            settings.IMAGE_VARIANT_WIDTHS
        ), key
    assert server.process.poll() is None
    assert api.get("/api/v1/shop").status_code == 200  # the rest of the platform still works


def noisy_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(out, format="PNG")
    return out.getvalue()


# --- the web server killed in the middle of checkouts -------------------------------------------


def test_a_web_server_killed_among_checkouts_leaves_no_half_order_and_a_retry_gets_the_same_one(
    servers, make_item, shop, listened, funded_buyer, address, buyer_token_for
):
    from emporium.trade.models import Order, OrderLine

    # Far more than the server can place between its first answer and the kill, on any machine.
    stock = 300
    item = make_item(shop, price="10.00", stock=stock)
    sku = item.skus.get()
    body = {
        "lines": [{"item_id": str(item.public_id), "sku_id": sku.pk, "quantity": 1}],
        "address_id": address.pk,
    }
    token = buyer_token_for(funded_buyer)
    keys = [f"checkout-{n}" for n in range(stock + 30)]  # more than the stock: some are refused
    # One app sends all of these at once: no rate limit in the way of what is tested here.
    unlimited = {"API_RATE_LIMITS": "free=100000/60,standard=100000/60,premium=100000/60"}
    server = servers(**unlimited)
    first: dict[str, httpx.Response | None] = {}
    killed = threading.Lock()

    def place(key: str, base_url: str) -> httpx.Response | None:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        try:
            return httpx.post(
                f"{base_url}/api/v1/me/orders", json=body, headers=headers, timeout=30
            )
        except httpx.HTTPError:
            return None  # the server died under this request

    def place_first(key: str) -> None:
        first[key] = answer = place(key, server.url)
        # kill -9 the moment the first order is answered: some placed, maybe one half-way, the
        # rest not yet (killed from the client's thread: a read of the database here could wait
        # behind the server's writes)
        if answer is not None and answer.status_code == 201 and killed.acquire(blocking=False):
            server.kill()

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(place_first, keys, timeout=120))
    assert killed.locked(), f"no order was placed: {first}"
    assert not [k for k, r in first.items() if r is not None and r.status_code >= 500]

    def whole() -> list:
        """No order half-made: each has its line, stock taken is what the lines ordered, and
        order.created was written once for it (and for no order that was not made)."""
        made = list(Order.objects.filter(buyer=funded_buyer))
        assert all(OrderLine.objects.filter(order=o).count() == 1 for o in made)
        ordered = sum(OrderLine.objects.filter(order__in=made).values_list("quantity", flat=True))
        sku.refresh_from_db()
        assert sku.stock >= 0, "oversold"
        assert sku.stock == stock - ordered
        assert_events_once("order.created", shop, made)
        return made

    made_by_the_dead = len(whole())
    assert 0 < made_by_the_dead < stock, "the kill did not land in the middle"
    assert None in first.values(), "no request was cut by the kill"
    restarted = servers(**unlimited)  # the app retries every request, each with its own key
    retried = {key: place(key, restarted.url) for key in keys}
    again = {key: place(key, restarted.url) for key in keys}  # and once more: replayed
    made = whole()
    placed = {k: r.json()[0]["id"] for k, r in retried.items() if r.status_code == 201}
    assert len(placed) == len(made) == stock  # one order a key, every unit sold, none twice
    assert {k for k, r in retried.items() if r.status_code != 201} == {
        k for k, r in retried.items() if r.status_code == 409
    }  # the others were refused for want of stock
    for key, response in first.items():  # answered before the kill: the retry is the same order
        if response is not None and response.status_code == 201:
            assert placed[key] == response.json()[0]["id"]
    for key, order_id in placed.items():
        assert again[key].status_code == 201 and again[key].json()[0]["id"] == order_id
        assert again[key].headers.get("Idempotent-Replayed") == "true"


@pytest.fixture
def buyer_token_for(make_token_for):
    from emporium.ecosystem import buyer_grants
    from emporium.ecosystem.models import App

    scopes = "buyer:profile buyer:addresses buyer:orders:read buyer:orders:write"

    def make(member) -> str:
        token = make_token_for(member)  # made for the developer's app; re-scoped for the buyer
        from oauth2_provider.models import get_access_token_model

        stored = get_access_token_model().objects.get(token=token)
        stored.scope = scopes
        stored.save()
        buyer_grants.consent(member, App.objects.get(pk=stored.application_id), scopes.split(),
                             Decimal("0"))  # fmt: skip
        return token

    return make
