"""Market fixtures: Dana's app listed in the market with four plans, a frozen clock, money."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from emporium.api import calllog
from emporium.api.tests.conftest import Api
from emporium.ecosystem.registration import register_app
from emporium.finance import ledger
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting
from emporium.lib import clock as platform_clock
from emporium.market import listings
from emporium.market.listings import BlockSpec, PlanSpec
from emporium.market.models import Listing, Plan

START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
SCOPES = ["shop:read", "items:read", "orders:read"]
PLANS = [
    PlanSpec("Basic", Plan.Kind.MONTHLY, Decimal("30.00"), trial_days=14),
    PlanSpec("Pro", Plan.Kind.MONTHLY, Decimal("90.00")),
    PlanSpec("Metered", Plan.Kind.USAGE, unit_price_amount=Decimal("0.10"), unit_name="report"),
]


@pytest.fixture(autouse=True)
def _fast(settings):
    # App secrets are hashed on creation; the fast hasher keeps the tests quick.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.API_CALL_LOG_THREAD = False
    settings.REDIS_URL = ""
    settings.APP_MARKET_COMMISSION = Decimal("0.20")
    calllog.discard()
    yield
    calllog.discard()


@pytest.fixture
def clock():
    platform_clock.set_time(START)
    yield platform_clock
    platform_clock.set_time(None)


@pytest.fixture
def registered(developer):
    return register_app(
        developer,
        name="Shop Stats",
        redirect_uris=["https://stats.example.com/callback"],
        scopes=SCOPES,
    )


@pytest.fixture
def app(registered):
    return registered[0]


@pytest.fixture
def secret(registered):
    return registered[1]


def make_listing(app, plans=PLANS, approve=True, **extra) -> Listing:
    fields = {
        "name": "Shop Stats",
        "summary_en": "Visitors and sales at a glance",
        "summary_zh": "一目了然的访客和销售",
        "description_en": "Page views per item, visitors, conversion.",
        "description_zh": "每件商品的浏览量、访客、转化率。",
        "category": Listing.Category.ANALYTICS,
        "scopes": SCOPES,
        "install_url": "https://stats.example.com/install",
        "app_url": "https://stats.example.com/admin",
        "plans": plans,
        "blocks": [BlockSpec("Bestsellers", "https://stats.example.com/blocks/best")],
    } | extra
    listing = listings.save_listing(app, submit=True, **fields)
    return listings.approve(listing) if approve else listing


@pytest.fixture
def listing(app):
    return make_listing(app)


def plan(listing: Listing, name: str) -> Plan:
    return listing.plans.get(name=name, retired=False)


def fund(member, amount: str) -> None:
    """Money arriving in the seller's balance, as a settlement would bring it."""
    ledger.post(
        Posting.Reason.TOP_UP,
        f"test-seller:{member.pk}",
        [
            Leg(ledger.account(ledger.TOP_UPS), -Decimal(amount)),
            Leg(ledger.seller_balance(member), Decimal(amount)),
        ],
    )


def balance(member) -> Decimal:
    return ledger.balance_of(f"seller:{member.pk}")


@pytest.fixture
def seller_client(seller, shop) -> Client:
    client = Client()
    client.force_login(seller)
    return client


@pytest.fixture
def developer_client(developer) -> Client:
    client = Client()
    client.force_login(developer)
    return client


@pytest.fixture
def app_token(app, seller, shop):
    """A token the app holds for Mei's shop (as its OAuth exchange would have issued)."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    raw = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=raw, user=seller, application=app, scope=" ".join(SCOPES),
        expires=timezone.now() + timedelta(days=365),
    )  # fmt: skip
    return raw


@pytest.fixture
def app_api(app_token) -> Api:
    return Api(app_token)
