"""A flash sale as a buyer meets it in a browser: its per-buyer limit and real end shown before
"Place order", the rest of a line at the usual price, the price back (and said) once it ends,
and no struck-through price on a SKU outside it (issue 23, point 3)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from emporium.catalog.models import Sku
from emporium.promotions import activities
from emporium.trade.cart import add_to_cart
from emporium.trade.models import Cart, Order

pytestmark = pytest.mark.django_db(transaction=True)


def flash_sale(shop, sku, seconds: int):
    now = timezone.now()
    return activities.create_flash_sale(
        shop, name="Noon flash", sku=sku, flash_price=Decimal("99.00"), stock_limit=5,
        per_buyer_limit=1, starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(seconds=seconds),
    )  # fmt: skip


def test_a_sku_outside_the_flash_sale_shows_no_struck_through_price(page, shop, make_item):
    dress = make_item(shop, title="Linen dress", options={"Colour": ["Red", "Blue"], "Size": ["S"]})
    blue = Sku.objects.get(item=dress, options={"Colour": "Blue", "Size": "S"})  # 200.00
    flash_sale(shop, blue, seconds=3 * 3600)
    page.goto(reverse("storefront:item", args=[dress.public_id]))
    struck = page.get_by_test_id("list-price")
    offer = page.get_by_test_id("flash-offer")
    expect(offer).to_contain_text("Limit 1 per buyer")
    expect(offer.get_by_test_id("countdown")).to_have_text(re.compile(r"^0?[23]:\d\d:\d\d$"))

    page.locator('.option-value[data-option="Colour"][data-value="Red"]').click()
    page.locator('.option-value[data-option="Size"][data-value="S"]').click()
    expect(page.locator("[data-price]")).to_have_text("¥199.00")
    expect(struck).to_be_hidden()  # it said ¥199.00, the price itself, before

    page.locator('.option-value[data-option="Colour"][data-value="Blue"]').click()
    expect(page.locator("[data-price]")).to_have_text("¥99.00")
    expect(struck).to_have_text("¥200.00")
    expect(struck).to_be_visible()


def test_the_limit_and_the_end_are_shown_and_kept_before_the_order_is_placed(
    page, sign_in, funded_buyer, address, shop, make_item
):
    dress = make_item(shop, title="Linen dress", price="200.00")
    sku = dress.skus.get()
    flash_sale(shop, sku, seconds=12)
    add_to_cart(Cart.objects.create(member=funded_buyer), sku, 2)
    sign_in(page, funded_buyer)

    page.goto(reverse("storefront:cart"))
    parts = page.get_by_test_id("price-part")
    expect(parts).to_have_text(["1 × ¥200.00 ¥99.00 Noon flash", "1 × ¥200.00"])
    expect(page.get_by_test_id("flash-note")).to_have_text(
        "The flash price is limited to 1 per buyer: these are at the usual price."
    )
    expect(page.get_by_test_id("cart-total")).to_have_text("¥299.00")

    page.get_by_test_id("checkout").click()
    expect(page.get_by_test_id("checkout-total")).to_have_text("¥299.00")
    line = page.get_by_test_id("flash-line")
    expect(line).to_contain_text("Limit 1 per buyer")
    expect(line.get_by_test_id("countdown")).to_have_text(re.compile(r"^00:00:\d\d$"))

    # The sale ends while the buyer looks: the page says so, then checkout refuses the old total.
    expect(page.get_by_test_id("flash-ended")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("flash-ended")).to_contain_text("goes back to ¥200.00")
    expect(line.get_by_test_id("countdown")).to_have_text("ended")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".messages")).to_contain_text("the total is now ¥400.00")
    assert not Order.objects.exists(), "nothing was ordered at a price the buyer was not shown"
    expect(page.get_by_test_id("checkout-total")).to_have_text("¥400.00")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/pay/**")
    assert Order.objects.get().total_amount == Decimal("400.00")
