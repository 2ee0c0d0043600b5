"""The operator's overview and dispute queue in the admin (issue 23, point 14)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from emporium.conftest import make_member
from emporium.ecosystem.registration import register_app
from emporium.lib import clock
from emporium.market.tests.conftest import make_listing
from emporium.trade import orders, refunds
from emporium.trade.models import Refund

OVERVIEW = reverse("operations:overview")
QUEUE = reverse("operations:disputes")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # 17:00 in the operator's Shanghai


@pytest.fixture
def operator(db):
    from emporium.members.models import Member

    return Member.objects.create_superuser("olga", "olga@example.com", "x-very-long-password-1")


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def a_day_of_trade(funded_buyer, address, shop, make_item):
    """Yesterday (Shanghai) one coat sold; today three: one paid and disputed, one paid and only
    asked for a refund, one unpaid."""
    coat = make_item(shop, title="Camel wool coat", price="1234.50", stock=20).skus.get()
    clock.set_time(datetime(2026, 5, 31, 15, 0, tzinfo=UTC))  # 23:00 on 31 May in Shanghai
    (old,) = orders.checkout(funded_buyer, address, [(coat, 1)])
    orders.pay(funded_buyer, [old])
    clock.set_time(NOW)
    disputed, asked, unpaid = (
        orders.checkout(funded_buyer, address, [(coat, 1)])[0] for _ in "abc"
    )
    orders.pay(funded_buyer, [disputed, asked])
    refund = refunds.request_refund(disputed, funded_buyer, Decimal("1234.50"), "Torn lining")
    refunds.escalate(refunds.refuse(refund, "It was whole when shipped"), funded_buyer)
    refunds.request_refund(asked, funded_buyer, Decimal("10.00"), "Late")
    yield {"disputed": refund}
    clock.set_time(None)


@pytest.fixture
def pending_listing(developer):
    app, _secret = register_app(
        developer, name="Shop Stats", redirect_uris=["https://stats.example.com/callback"],
        scopes=["shop:read", "items:read", "orders:read"],
    )  # fmt: skip
    return make_listing(app, approve=False)


def test_the_overview_counts_today_disputes_and_apps_waiting(
    operator_client, a_day_of_trade, pending_listing
):
    page = operator_client.get(OVERVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="orders-placed">3<' in html
    assert 'data-testid="orders-paid">2<' in html
    assert 'data-testid="paid-amount">¥2,469.00<' in html
    assert 'data-testid="disputes-waiting">1<' in html
    assert 'data-testid="listings-waiting">1<' in html
    assert reverse("operations:disputes") in html


def test_the_admin_index_leads_to_both_screens(operator_client):
    html = operator_client.get(reverse("admin:index")).content.decode()
    assert f'href="{OVERVIEW}"' in html and f'href="{QUEUE}"' in html


def test_only_staff_see_the_screens(client, buyer):
    for url in (OVERVIEW, QUEUE):
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(buyer)
    assert client.get(QUEUE)["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_refund_permission_cannot_see_or_rule(a_day_of_trade):
    clerk = make_member("clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(QUEUE).status_code == 403
    refund = a_day_of_trade["disputed"]
    rule_url = reverse("operations:rule", args=[refund.public_id])
    assert client.post(rule_url, {"decision": "buyer", "note": "x"}).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_refund"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the instance
    client.force_login(clerk)
    page = client.get(QUEUE).content.decode()
    assert 'data-testid="dispute"' in page and 'data-testid="rule-buyer"' not in page
    assert client.post(rule_url, {"decision": "buyer", "note": "x"}).status_code == 403
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DISPUTED


def test_the_queue_holds_only_disputes_with_both_sides_told(operator_client, a_day_of_trade):
    page = operator_client.get(QUEUE)
    listed = list(page.context["disputes"])
    assert listed == [a_day_of_trade["disputed"]]
    html = page.content.decode()
    assert "Torn lining" in html and "It was whole when shipped" in html
    assert 'data-testid="dispute-amount">¥1,234.50<' in html


def test_ruling_for_the_buyer_pays_the_refund(operator_client, a_day_of_trade, books_balance):
    refund = a_day_of_trade["disputed"]
    answer = operator_client.post(
        reverse("operations:rule", args=[refund.public_id]),
        {"decision": "buyer", "note": "  The photos show the tear.  "},
        follow=True,
    )
    refund.refresh_from_db()
    assert refund.status == Refund.Status.AGREED
    assert refund.operator_note == "The photos show the tear."
    assert refund.order.refunded_amount == Decimal("1234.50")
    assert 'data-testid="no-disputes"' in answer.content.decode()
    books_balance()


def test_ruling_for_the_seller_closes_it(operator_client, a_day_of_trade):
    refund = a_day_of_trade["disputed"]
    operator_client.post(
        reverse("operations:rule", args=[refund.public_id]),
        {"decision": "seller", "note": "Shipped whole."},
    )
    refund.refresh_from_db()
    assert (refund.status, refund.order.refunded_amount) == (Refund.Status.CLOSED, Decimal("0"))


@pytest.mark.parametrize(
    "form", [{"decision": "buyer", "note": "   "}, {"decision": "maybe", "note": "Hmm"},
             {"decision": "buyer", "note": "x" * 301}, {}],
)  # fmt: skip
def test_a_ruling_without_a_side_or_a_note_changes_nothing(operator_client, a_day_of_trade, form):
    refund = a_day_of_trade["disputed"]
    answer = operator_client.post(
        reverse("operations:rule", args=[refund.public_id]), form, follow=True
    )
    assert "write a note" in answer.content.decode()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.DISPUTED and refund.operator_note == ""


def test_a_refund_that_is_not_disputed_is_not_ruled(operator_client, a_day_of_trade):
    asked = Refund.objects.get(status=Refund.Status.REQUESTED)
    answer = operator_client.post(
        reverse("operations:rule", args=[asked.public_id]),
        {"decision": "buyer", "note": "No"},
        follow=True,
    )
    assert "Only a disputed refund is arbitrated." in answer.content.decode()
    asked.refresh_from_db()
    assert asked.status == Refund.Status.REQUESTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_the_operator_rules_a_dispute_in_the_browser_at_both_widths(
    chromium, live_server, sign_in, operator, a_day_of_trade, width, height
):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    sign_in(page, operator)
    page.goto(OVERVIEW)
    page.click("[data-testid=disputes-waiting]")
    expect(page.locator("[data-testid=dispute]")).to_have_count(1)  # the click only starts the load
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    amount = page.locator("[data-testid=dispute-amount]").bounding_box()
    assert amount and amount["x"] + amount["width"] <= width
    page.fill("textarea[name=note]", "The photos show the tear.")
    page.click("[data-testid=rule-buyer]")
    page.wait_for_selector("[data-testid=no-disputes]")
    assert Refund.objects.get(pk=a_day_of_trade["disputed"].pk).status == Refund.Status.AGREED
    context.close()
