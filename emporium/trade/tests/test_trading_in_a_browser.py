"""In a real browser: buy, pay, the seller ships, the buyer confirms, the seller is paid."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.finance import ledger
from emporium.trade.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto(reverse("members:login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_a_whole_trade_pays_the_seller_price_minus_commission(
    chromium, live_server, funded_buyer, address, seller, shop, make_item
):
    coat = make_item(shop, title="Camel wool coat", price="480.00", stock=3)  # dresses: 5%
    buyer_page = chromium.new_context(base_url=live_server.url).new_page()
    seller_page = chromium.new_context(base_url=live_server.url).new_page()
    buyer_page.once("dialog", lambda dialog: dialog.accept())

    log_in(buyer_page, funded_buyer.username)
    buyer_page.goto(reverse("storefront:item", args=[coat.public_id]))
    buyer_page.locator("[data-add-button]").click()
    buyer_page.goto(reverse("storefront:cart"))
    buyer_page.get_by_test_id("checkout").click()
    assert buyer_page.get_by_test_id("checkout-total").inner_text() == "¥480.00"
    buyer_page.get_by_role("button", name="Place order").click()
    buyer_page.get_by_test_id("pay-button").click()
    order = Order.objects.get()
    assert order.status == Order.Status.PAID

    log_in(seller_page, seller.username)
    seller_page.goto(reverse("sellercenter:order", args=[order.public_id]))
    seller_page.get_by_label("Carrier").select_option("SF Express")
    seller_page.get_by_label("Tracking number").fill("SF1400000001")
    seller_page.get_by_role("button", name="Mark as shipped").click()
    assert seller_page.get_by_test_id("tracking-number").inner_text() == "SF1400000001"

    buyer_page.goto(reverse("trade:order", args=[order.public_id]))
    buyer_page.get_by_test_id("confirm-receipt").click()
    buyer_page.wait_for_load_state()
    assert buyer_page.get_by_test_id("order-status").inner_text() == "settled"

    seller_page.goto(reverse("sellercenter:finance"))
    assert seller_page.get_by_test_id("balance").inner_text() == "¥456.00"
    assert ledger.balance_of(f"seller:{seller.pk}") == Decimal("456.00")
