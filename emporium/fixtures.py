"""The platform's shared test fixtures: fixed personas built with the domain functions a request would run.

Loaded once for every test tree (emporium, sdk, apps) by the root conftest.py, so a session fixture
such as the browser exists once per test process."""

import io
import os
from decimal import Decimal

import pytest
from PIL import Image

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item
from emporium.members.models import Member
from emporium.shops.services import open_shop

PASSWORD = "correct-horse-battery-staple"

# What a test asks for when it reaches the database (pytest-django refuses it any other way).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & fixtures)


def uses_browser(item: pytest.Item) -> bool:
    return "chromium" in set(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI's second pass, on PostgreSQL, leaves out what would run exactly as in the first:
    `ONLY_DATABASE_TESTS=1` the tests that never touch a database, `BROWSER_TESTS=0` the
    journeys in Chromium, whose database work is the domain functions the other tests run
    on PostgreSQL (docs/decisions.md, "CI's PostgreSQL pass")."""
    only_database = os.environ.get("ONLY_DATABASE_TESTS") == "1"
    no_browser = os.environ.get("BROWSER_TESTS") == "0"
    if not (only_database or no_browser):
        return

    def kept(item: pytest.Item) -> bool:
        if only_database and not uses_database(item):
            return False
        return not (no_browser and uses_browser(item))

    left_out = [item for item in items if not kept(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if kept(item)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _customer_events_journal_in_tmp(settings, tmp_path):
    """The collector's journal in the test's own directory: two test processes never drain
    each other's events (customer_events/journal.py)."""
    settings.CUSTOMER_EVENTS_JOURNAL_DIR = tmp_path / "customer-events"
    yield
    from emporium.customer_events import journal

    if journal._journal is not None:
        journal._journal.rotate()


@pytest.fixture(autouse=True)
def _webhooks_to_this_machine(settings):
    """Test receivers listen on 127.0.0.1, which production refuses (emporium/events/transport)."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True


@pytest.fixture(autouse=True)
def _fresh_throttles(monkeypatch):
    """Throttle counters live in the cache (lib/throttle.py): each test starts with none, and
    counts in one fixed window (a slow test crossing a minute boundary would start afresh)."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from emporium.lib import throttle

    cache.clear()
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_001.0))


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Cached pages and parts live in the process (storefront/pagecache.py, shared.py): each test
    starts with none, so no part kept by an earlier test (the header's categories) shows."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _payments_sandbox(settings):
    """Wallets are funded through the sandbox payment provider, which production never has."""
    settings.PAYMENTS_SANDBOX = True


@pytest.fixture(autouse=True)
def _api_call_log_on_demand(settings):
    """The Open API's call-log writer thread would hold its own connection into the test
    database; tests write the log when they ask for it (emporium.api.calllog.flush)."""
    settings.API_CALL_LOG_THREAD = False


def make_member(username: str, **extra) -> Member:
    return Member.objects.create_user(
        username=username, email=f"{username}@example.com", password=PASSWORD, **extra
    )


@pytest.fixture
def buyer(db) -> Member:
    return make_member("bob", display_name="Bob Buyer")


@pytest.fixture
def seller(db) -> Member:
    return make_member("mei", display_name="Mei Seller")


@pytest.fixture
def shop(seller):
    return open_shop(seller, name="Mei's Closet", description="Dresses and coats")


@pytest.fixture
def other_seller(db) -> Member:
    return make_member("otto", display_name="Otto Other")


@pytest.fixture
def other_shop(other_seller):
    return open_shop(other_seller, name="Otto's Gadgets", description="Phones")


@pytest.fixture
def developer(db) -> Member:
    return make_member("dana", display_name="Dana Developer", is_developer=True)


@pytest.fixture
def category_tree(db):
    """The tree a data migration plants; transactional tests flush it, so plant it again."""
    from emporium.catalog.tree import plant_tree

    if not Category.objects.exists():
        plant_tree(Category)


@pytest.fixture
def dresses(category_tree) -> Category:
    return Category.objects.get(slug="dresses")


@pytest.fixture
def phones(category_tree) -> Category:
    return Category.objects.get(slug="phones")


@pytest.fixture
def make_item(dresses):
    """Build an item on sale; by default one SKU, or pass `options` for a colour × size matrix."""

    def make(shop, title="Linen summer dress", price="199.00", stock=10, options=None, **kw):
        kw.setdefault("category", dresses)
        kw.setdefault("status", Item.Status.ON_SALE)
        if options:
            specs = [
                catalog.SkuSpec(options=combo, price=Decimal(price) + i, stock=stock)
                for i, combo in enumerate(catalog.sku_matrix(options))
            ]
            names = list(options)
        else:
            specs, names = [catalog.SkuSpec(options={}, price=Decimal(price), stock=stock)], []
        return catalog.create_item(shop, title=title, option_names=names, skus=specs, **kw)

    return make


@pytest.fixture
def item(shop, make_item) -> Item:
    """Mei's dress in two colours and two sizes: SKU prices 199, 200, 201, 202; 10 each."""
    return make_item(shop, options={"Colour": ["Red", "Blue"], "Size": ["S", "M"]})


def picture_bytes(fmt: str = "PNG", size=(64, 48), colour=(200, 30, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; the browser tests need it, so its absence fails them."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around page actions are ordinary blocking calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def address(buyer):
    from emporium.members.models import Address

    return Address.objects.create(
        member=buyer, recipient="Bob Buyer", phone="13800000000", province="Zhejiang",
        city="Hangzhou", street="1 West Lake Road", is_default=True,
    )  # fmt: skip


@pytest.fixture
def funded_buyer(buyer):
    """Bob with 10,000.00 in his wallet."""
    from emporium.finance.wallets import fund_in_sandbox

    fund_in_sandbox(buyer, Decimal("10000.00"))
    return buyer


@pytest.fixture
def books_balance():
    """Call after trading steps: the ledger must balance and escrow must match open orders."""
    from emporium.trade.books import check_trading_books

    def check():
        report = check_trading_books()
        assert report.ok, report.problems
        return report

    return check


@pytest.fixture
def make_member_with_wallet(db):
    from emporium.finance.wallets import fund_in_sandbox

    def make(username: str, amount: str = "5000.00") -> Member:
        member = make_member(username)
        fund_in_sandbox(member, Decimal(amount))
        return member

    return make


@pytest.fixture
def address_for(db):
    from emporium.members.models import Address

    def make(member: Member):
        return Address.objects.create(
            member=member, recipient=member.username, phone="13900000000", province="Guangdong",
            city="Shenzhen", street="8 Harbour Road", is_default=True,
        )  # fmt: skip

    return make


@pytest.fixture
def sign_in(live_server):
    """Log a Playwright page in as a member without the log-in form: a session made by Django's
    test client, its cookie handed to the browser (the form has its own tests)."""
    from django.conf import settings
    from django.test import Client

    def sign(page, member: Member, language: str = "") -> None:
        client = Client()
        client.force_login(member)
        cookies = [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
        if language:
            cookies.append(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
            )
        page.context.add_cookies(cookies)

    return sign


def past_return_window(*orders) -> None:
    """Settled orders as if their return window had passed: received a window ago, their held
    fee taken (trade.orders.settle_fees), so what they brought the seller can be withdrawn."""
    from django.db.models import F

    from emporium.trade import orders as trading
    from emporium.trade.models import Order

    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        completed_at=F("completed_at") - trading.return_window()
    )
    trading.settle_fees()


def wait_until_taller(page, selector: str, pixels: float, timeout: float = 10) -> None:
    """Wait until the element is taller than `pixels`, polling from the test: the platform's CSP
    forbids the string evaluation Playwright's wait_for_function relies on."""
    import time

    deadline = time.monotonic() + timeout
    while (page.locator(selector).bounding_box() or {"height": 0})["height"] <= pixels:
        assert time.monotonic() < deadline, f"{selector} never grew past {pixels} px"
        page.wait_for_timeout(100)


def wait_until_still(page, selector: str, timeout: float = 10) -> None:
    """Wait until the element has kept its place and size for 300 ms: a frame that resizes to a
    step just shown moves what is under the pointer, and a click aimed before lands elsewhere."""
    import time

    deadline = time.monotonic() + timeout
    last, still_since = None, time.monotonic()
    while True:
        box = page.locator(selector).bounding_box()
        now = time.monotonic()
        if box != last:
            last, still_since = box, now
        elif now - still_since >= 0.3:
            return
        assert now < deadline, f"{selector} never stopped moving: {box}"
        page.wait_for_timeout(100)


def shop_state(shop, people=()) -> dict:
    """Everything of a shop and its people that a stranger's request could change, as plain
    data: equal before and after means the request changed nothing of theirs (and pytest shows
    which table differs when it did).

    The shop's catalogue, orders, refunds, reviews, questions, categories, every kind of
    promotion with the coupons its people claimed, the apps installed on it with their subscriptions,
    invoices, usage charges and webhook endpoints, its pictures and design; and, for its owner
    and `people`, their ledger balances, wallets' top-ups, addresses, carts, buyer grants, and
    (developers) their apps with their installations and endpoints. Shared by the page matrix
    (emporium/tests/test_route_matrix.py) and the API matrix (api/tests/test_openapi_matrix.py),
    so a table added here is checked by both."""
    import json

    from django.db.models import Count, Q

    from emporium.catalog.models import Sku
    from emporium.community.models import Question, Review
    from emporium.design.models import ShopDesign
    from emporium.ecosystem.models import App, BuyerGrant, Installation
    from emporium.events.models import WebhookEndpoint
    from emporium.finance.models import Account, TopUp
    from emporium.market.models import Invoice, Subscription, UsageCharge
    from emporium.members.models import Address
    from emporium.promotions.models import (
        Coupon,
        CouponBatch,
        Discount,
        FlashSale,
        Threshold,
    )
    from emporium.shops.models import Shop, ShopCategory
    from emporium.trade.models import CartLine, Order, Refund

    members = [shop.owner, *people]
    installations = Installation.objects.filter(Q(shop=shop) | Q(app__user__in=members))
    apps = App.objects.filter(Q(installations__in=installations) | Q(user__in=members)).distinct()
    subscriptions = Subscription.objects.filter(installation__in=installations)
    activity = ("name", "starts_at", "ends_at", "is_stopped")

    def rows(query, *fields) -> list:
        return list(query.order_by("pk").values(*fields))

    tables = {
        "shop": rows(Shop.objects.filter(pk=shop.pk), "name", "description", "status", "slug"),
        "items": rows(
            Item.objects.filter(shop=shop).annotate(pictures=Count("images")),
            "title", "status", "description_html", "category", "pictures",
        ),
        "skus": rows(Sku.objects.filter(item__shop=shop), "price", "stock", "code", "options"),
        "orders": rows(
            Order.objects.filter(shop=shop),
            "status", "seller_memo", "carrier", "tracking_number", "buyer", "refunded_amount",
        ),
        "refunds": rows(Refund.objects.filter(order__shop=shop), "status", "seller_note"),
        "reviews": rows(Review.objects.filter(shop=shop), "reply"),
        # Anyone may ask about an item; the answers to its people's questions are the shop's.
        "questions": rows(Question.objects.filter(item__shop=shop, asker__in=members), "answer"),
        "shop_categories": rows(ShopCategory.objects.filter(shop=shop), "name", "position"),
        "discounts": rows(Discount.objects.filter(shop=shop), *activity, "percent_off"),
        "thresholds": rows(
            Threshold.objects.filter(shop=shop), *activity, "min_spend", "amount_off"
        ),
        # Any buyer may claim a coupon: the batch's claimed count is not the shop's to keep.
        "coupon_batches": rows(
            CouponBatch.objects.filter(shop=shop), *activity, "amount_off", "min_spend",
            "total_count",
        ),
        "coupons": rows(
            Coupon.objects.filter(batch__shop=shop, buyer__in=members), "buyer", "used_at"
        ),
        "flash_sales": rows(
            FlashSale.objects.filter(shop=shop),
            *activity, "sku", "flash_price", "stock_limit", "sold_count",
        ),
        "balances": rows(Account.objects.filter(owner__in=members), "code", "balance"),
        "top_ups": rows(TopUp.objects.filter(member__in=members), "amount", "status"),
        "addresses": rows(Address.objects.filter(member__in=members), "street", "is_default"),
        "carts": rows(CartLine.objects.filter(cart__member__in=members), "sku", "quantity"),
        "buyer_grants": rows(
            BuyerGrant.objects.filter(member__in=members), "app", "scopes", "revoked_at"
        ),
        "apps": rows(apps, "name", "client_secret", "redirect_uris", "tier"),
        "installations": rows(installations, "shop", "app", "scopes", "uninstalled_at"),
        "subscriptions": rows(
            subscriptions, "installation", "plan", "status", "usage_cap_amount", "cancelled_at"
        ),
        "invoices": rows(Invoice.objects.filter(subscription__in=subscriptions), "status"),
        "usage_charges": rows(
            UsageCharge.objects.filter(subscription__in=subscriptions), "amount"
        ),
        "endpoints": rows(
            WebhookEndpoint.objects.filter(app__in=apps), "app", "url", "topics", "enabled",
            "secret",
        ),
        "pictures": rows(shop.pictures.all(), "name", "folder"),
        "design_versions": rows(shop.design_versions.all(), "number"),
        "design_schedules": rows(shop.design_schedules.all(), "status"),
        "design_draft": rows(ShopDesign.objects.filter(shop=shop), "draft", "live"),
    }  # fmt: skip
    return json.loads(json.dumps(tables, default=str))
