"""The trust screens speak Chinese to a member who chose it (issue 23, point 13): the OAuth
consent screen with its scope descriptions, the market's permissions, the webhook topics, order
statuses and the operator admin. Each is rendered in zh-hans; neither a catalogue msgid nor a run
of English words may be left (names people typed, scope and topic codes excepted)."""

from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from emporium.ecosystem.registration import register_app
from emporium.ecosystem.tests.helpers import REDIRECT_URI, authorize_url, pkce_pair
from emporium.lib.translations import compile_catalogues
from emporium.lib.untranslated import english_left
from emporium.market.listings import BlockSpec, PlanSpec, approve, save_listing
from emporium.market.models import Listing, Plan
from emporium.trade import orders, refunds

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# A grant is a shop's or a buyer's, never both (docs/oauth.md): one consent screen of each kind.
ALL_SCOPES = [s for s in settings.OAUTH2_PROVIDER["SCOPES"] if not s.startswith("buyer:")]
BUYER_SCOPES = [s for s in settings.OAUTH2_PROVIDER["SCOPES"] if s.startswith("buyer:")]


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    catalogue = polib.pofile(str(LOCALE_DIR / "zh_Hans/LC_MESSAGES/django.po"))
    return {e.msgid for e in catalogue if e.msgstr != e.msgid}  # "SKU" is "SKU" in Chinese too


@pytest.fixture(autouse=True)
def chinese_catalogue():
    compile_catalogues(LOCALE_DIR)
    with override_settings(LOCALE_PATHS=[LOCALE_DIR]):  # forget a catalogue cached earlier
        yield


def chinese(member) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(member)
    return client


@pytest.fixture
def every_scope_app(developer):
    app, _secret = register_app(
        developer, name="Shop Stats", redirect_uris=[REDIRECT_URI], scopes=ALL_SCOPES
    )
    return app


DATA = {"Shop Stats", "Mei's Closet", "Mei Seller", "Bob Buyer", "Dana Developer", "Basic"}
DATA |= {"Linen summer dress", "Red", "Blue", "Otto Other", "Dresses and coats", "bob", "mei"}
DATA |= {"1 West Lake Road", "Zhejiang", "Hangzhou"}


def assert_chinese(response, msgids: set[str], *extra: str) -> None:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html or 'lang="zh-hans"' in html
    left = english_left(html, msgids, DATA | set(extra))
    assert left == [], left


def test_the_consent_screen_and_every_scope_description(seller, shop, every_scope_app, msgids):
    _verifier, challenge = pkce_pair()
    response = chinese(seller).get(authorize_url(every_scope_app, challenge))
    assert len(response.context["scope_rows"]) == len(ALL_SCOPES)
    assert_chinese(response, msgids)


def test_the_buyer_consent_screen_and_every_buyer_scope(buyer, developer, msgids):
    app, _secret = register_app(
        developer, name="Shop Stats", redirect_uris=[REDIRECT_URI], scopes=BUYER_SCOPES
    )
    _verifier, challenge = pkce_pair()
    url = authorize_url(app, challenge, scope=" ".join(BUYER_SCOPES))
    response = chinese(buyer).get(url)
    assert len(response.context["scope_rows"]) == len(BUYER_SCOPES)
    assert_chinese(response, msgids, "Bob Buyer")


def test_the_market_page_and_its_permissions(seller, shop, every_scope_app, msgids):
    listing = approve(
        save_listing(
            every_scope_app, submit=True, name="Shop Stats", summary_en="Visitors at a glance",
            summary_zh="一目了然的访客", description_en="Page views per item.",
            description_zh="每件商品的浏览量。", category=Listing.Category.ANALYTICS,
            scopes=ALL_SCOPES, install_url="https://stats.example.com/install",
            app_url="https://stats.example.com/admin",
            plans=[PlanSpec("Basic", Plan.Kind.MONTHLY, Decimal("30.00"), trial_days=14)],
            blocks=[BlockSpec("Bestsellers", "https://stats.example.com/blocks/best")],
        )
    )  # fmt: skip
    client = chinese(seller)
    page = client.get(reverse("market:app", args=[listing.app.public_id]))
    assert len(page.context["scope_rows"]) == len(ALL_SCOPES)
    assert_chinese(page, msgids, "Bestsellers")
    assert_chinese(
        client.get(reverse("market:install", args=[listing.app.public_id])), msgids, "Bestsellers"
    )


def test_the_webhook_topics(developer, every_scope_app, msgids):
    page = chinese(developer).get(reverse("ecosystem:webhooks", args=[every_scope_app.public_id]))
    assert len(page.context["topic_rows"]) > 10
    assert_chinese(page, msgids)


@pytest.fixture
def orders_in_every_state(funded_buyer, address, shop, make_item):
    """Unpaid, paid, shipped, completed and cancelled orders, and a disputed refund."""
    made = []
    for _ in range(5):
        dress = make_item(shop, title="Linen summer dress", price="120.00", stock=5)
        (order,) = orders.checkout(funded_buyer, address, [(dress.skus.get(), 1)])
        made.append(order)
    unpaid, paid, shipped, completed, cancelled = made
    orders.pay(funded_buyer, [paid, shipped, completed])
    orders.ship(shipped, "SF Express", "SF100")
    orders.ship(completed, "SF Express", "SF101")
    orders.confirm_receipt(completed)
    orders.cancel_unpaid(cancelled, actor="buyer")
    refund = refunds.request_refund(paid, funded_buyer, Decimal("120.00"), "wrong size")
    refunds.escalate(refunds.refuse(refund, "worn"), funded_buyer)
    return made


def test_order_statuses_for_the_seller_and_the_buyer(
    seller, funded_buyer, orders_in_every_state, msgids
):
    typed = {"SF Express", "wrong size", "worn"}
    seller_client = chinese(seller)
    assert_chinese(seller_client.get(reverse("sellercenter:orders")), msgids, *typed)
    assert_chinese(seller_client.get(reverse("sellercenter:refunds")), msgids, *typed)
    buyer_client = chinese(funded_buyer)
    assert_chinese(buyer_client.get(reverse("trade:orders")), msgids, *typed)
    for order in orders_in_every_state:
        detail = buyer_client.get(reverse("trade:order", args=[order.public_id]))
        assert_chinese(detail, msgids, *typed)


@pytest.fixture
def operator(db):
    from emporium.members.models import Member

    return Member.objects.create_superuser("olga", "olga@example.com", "x-very-long-password-1")


# The operator's working screens: every model's name on the index, orders, disputes, listings
# under review and registered apps.
OPERATOR_SCREENS = [
    "admin:index",
    "admin:trade_order_changelist",
    "admin:trade_refund_changelist",
    "admin:market_listing_changelist",
    "admin:ecosystem_app_changelist",
    "operations:overview",
    "operations:disputes",
]


@pytest.mark.parametrize("screen", OPERATOR_SCREENS)
def test_the_operator_admin(operator, orders_in_every_state, every_scope_app, msgids, screen):
    typed = {"SF Express", "wrong size", "worn", "olga", "dana", "otto"}
    assert_chinese(chinese(operator).get(reverse(screen)), msgids, *typed)
