"""Coupons and spend-and-save where the buyer decides (issue 23, point 4): checkout preselects the
coupon that saves most and changes it without a reload (and without the CSRF token in a URL), a
claimed coupon says so, the cart says how much more unlocks a spend-and-save."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from emporium.conftest import PASSWORD
from emporium.promotions import activities
from emporium.storefront.tests.helpers import text
from emporium.trade.cart import add_to_cart
from emporium.trade.models import Cart


def running(**period):
    now = timezone.now()
    return {
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(days=period.get("days", 3)),
    }


@pytest.fixture
def coat_in_cart(buyer, address, shop, make_item):
    coat = make_item(shop, title="Wool coat", price="150.00")
    add_to_cart(Cart.objects.create(member=buyer), coat.skus.get(), 1)
    return coat


@pytest.fixture
def two_coupons(shop, buyer):
    small = activities.create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("0"), total_count=5,
        **running(days=1),
    )  # fmt: skip
    big = activities.create_coupons(
        shop, name="Thirty off 100", amount_off=Decimal("30"), min_spend=Decimal("100"),
        total_count=5, **running(days=9),
    )  # fmt: skip
    return activities.claim_coupon(small, buyer), activities.claim_coupon(big, buyer)


def test_checkout_preselects_the_coupon_that_saves_most(client, buyer, coat_in_cart, two_coupons):
    small, big = two_coupons
    client.force_login(buyer)
    page = client.get(reverse("trade:checkout"))
    assert page.context["chosen"] == {coat_in_cart.shop_id: big.pk}
    assert page.context["total"] == Decimal("120.00")
    # The buyer's own choice wins, "no coupon" included.
    key = f"coupon_{coat_in_cart.shop_id}"
    assert client.get(reverse("trade:checkout"), {key: small.pk}).context["total"] == Decimal(
        "140.00"
    )
    assert client.get(reverse("trade:checkout"), {key: ""}).context["total"] == Decimal("150.00")


def test_a_coupon_the_cart_does_not_reach_is_not_preselected(
    client, buyer, shop, make_item, two_coupons
):
    scarf = make_item(shop, title="Scarf", price="60.00")
    add_to_cart(Cart.objects.create(member=buyer), scarf.skus.get(), 1)
    client.force_login(buyer)
    page = client.get(reverse("trade:checkout"))
    assert page.context["chosen"] == {shop.pk: two_coupons[0].pk}  # 30 off needs 100
    assert page.context["total"] == Decimal("50.00")


def test_a_claimed_coupon_says_claimed_instead_of_claim(client, buyer, shop, make_item):
    dress = make_item(shop)
    batch = activities.create_coupons(
        shop, name="Ten off", amount_off=Decimal("10"), min_spend=Decimal("0"), total_count=5,
        **running(),
    )  # fmt: skip
    client.force_login(buyer)
    item_page = reverse("storefront:item", args=[dress.public_id])
    assert ">Claim</button>" in text(client.get(item_page))
    activities.claim_coupon(batch, buyer)
    for url in [item_page, reverse("storefront:shop", args=[shop.slug])]:
        page = text(client.get(url))
        assert 'data-testid="claimed"' in page and ">Claim</button>" not in page


def test_the_cart_says_how_much_more_unlocks_a_spend_and_save(client, buyer, shop, coat_in_cart):
    activities.create_threshold(
        shop, name="Spend 200 save 20", min_spend=Decimal("200"), amount_off=Decimal("20"),
        **running(),
    )  # fmt: skip
    client.force_login(buyer)
    page = text(client.get(reverse("storefront:cart")))
    assert "Add ¥50.00 more to save ¥20.00 (Spend 200 save 20)." in page


@pytest.mark.django_db(transaction=True)
def test_changing_the_coupon_updates_the_total_in_place(page, buyer, coat_in_cart, two_coupons):
    small, _ = two_coupons
    page.goto(reverse("members:login"))
    page.locator("input[name=username]").fill(buyer.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.goto(reverse("trade:checkout"))
    assert page.get_by_test_id("checkout-total").inner_text() == "¥120.00"
    address_before = page.url
    page.evaluate("window.marker = 'same page'")
    page.get_by_test_id("coupon-choice").select_option(str(small.pk))
    expect(page.get_by_test_id("checkout-total")).to_have_text("¥140.00")
    assert page.url == address_before and "csrf" not in page.url
    assert page.evaluate("window.marker") == "same page", "no reload"
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/pay/**")
    assert "¥140.00" in page.content()
