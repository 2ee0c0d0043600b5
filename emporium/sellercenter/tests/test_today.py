"""The dashboard's today: sales, paid orders, visitors, orders to ship, refunds to answer, in the
seller's day, with ¥ and thousands separators; the balance beside the money still in escrow
(issue 23, point 7)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.customer_events.models import CustomerEvent
from emporium.finance import ledger
from emporium.lib import clock
from emporium.sellercenter import figures
from emporium.trade import orders, refunds

DASHBOARD = reverse("sellercenter:dashboard")
# Mei's zone is Asia/Shanghai (UTC+8): her 1 June runs from 31 May 16:00 UTC.
YESTERDAY_IN_SHANGHAI = datetime(2026, 5, 31, 15, 30, tzinfo=UTC)
EARLY_TODAY_IN_SHANGHAI = datetime(2026, 5, 31, 17, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def visit(shop, visitor: str, at: datetime) -> None:
    CustomerEvent.objects.create(
        name="page_viewed", shop=shop, received_at=at, visitor_id=visitor,
        page_view_id=f"pv-{visitor}-{at:%H%M}", page_type="item",
    )  # fmt: skip


@pytest.fixture
def a_busy_day(shop, make_item, buy, funded_buyer):
    """Yesterday one coat paid; today two paid (one asks for a refund), one shipped, one unpaid;
    three visitors today (one came twice), one yesterday."""
    coat = make_item(shop, title="Camel wool coat", price="1234.50", stock=20).skus.get()
    clock.set_time(YESTERDAY_IN_SHANGHAI)
    buy((coat, 1))
    visit(shop, "v-old", YESTERDAY_IN_SHANGHAI)
    clock.set_time(EARLY_TODAY_IN_SHANGHAI)
    first = buy((coat, 1))
    clock.set_time(NOW)
    second = buy((coat, 2))
    orders.ship(second, "SF Express", "SF1")
    buy((coat, 1), pay=False)
    refunds.request_refund(first, funded_buyer, Decimal("100.00"), "Missing belt")
    for visitor, hour in [("v-1", 17), ("v-2", 20), ("v-1", 22)]:
        visit(shop, visitor, datetime(2026, 5, 31, hour, 0, tzinfo=UTC))
    visit(shop, "v-3", NOW)
    yield
    clock.set_time(None)


def test_today_counts_the_sellers_own_day(shop, a_busy_day):
    today = figures.today(shop, "Asia/Shanghai")
    assert today.sales == Decimal("3703.50")  # 1 + 2 coats paid today, not yesterday's
    assert today.paid_orders == 2
    assert today.visitors == 3
    assert today.to_ship == 2  # yesterday's and the first of today (the second is shipped)
    assert today.refunds_to_answer == 1


def test_the_day_follows_the_zone(shop, a_busy_day):
    # In London (UTC+1 in June) the day began at 31 May 23:00 UTC: only the second order.
    assert figures.today(shop, "Europe/London").paid_orders == 1


def test_escrow_holds_what_is_paid_and_not_settled_less_refunds(shop, a_busy_day):
    assert figures.in_escrow(shop) == Decimal("4938.00")  # 4 coats; the refund is only asked


def test_the_dashboard_shows_today_in_yuan_with_thousands(seller_client, shop, a_busy_day):
    page = seller_client.get(DASHBOARD).content.decode()
    assert 'data-testid="today-sales">¥3,703.50<' in page
    assert 'data-testid="today-paid-orders">2<' in page
    assert 'data-testid="today-visitors">3<' in page
    assert 'data-testid="count-to-ship">2<' in page
    assert 'data-testid="count-refunds-to-answer">1<' in page
    assert 'data-testid="dashboard-escrow">¥4,938.00<' in page
    assert 'data-testid="dashboard-balance">¥0.00<' in page
    assert "¥1,234.50" in page  # the recently added coat's price


def test_finance_shows_the_balance_and_the_money_in_escrow(seller_client, shop, a_busy_day):
    page = seller_client.get(reverse("sellercenter:finance")).content.decode()
    assert 'data-testid="in-escrow">¥4,938.00<' in page
    assert ledger.balance_of(ledger.seller_code(shop.owner_id)) == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_dashboard_fits_and_no_amount_is_clipped(
    chromium, live_server, sign_in, shop, a_busy_day, width, height, language
):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    sign_in(page, shop.owner, language)
    page.goto(DASHBOARD)
    assert page.locator("[data-testid=today-sales]").inner_text() == "¥3,703.50"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for testid in ["today-sales", "dashboard-escrow", "dashboard-balance", "count-to-ship"]:
        box = page.locator(f"[data-testid={testid}]").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, testid
        clipped = page.locator(f"[data-testid={testid}]").evaluate(
            "e => e.scrollWidth > e.clientWidth + 1"
        )
        assert not clipped, testid
    context.close()
