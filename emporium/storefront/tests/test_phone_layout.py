"""Every buyer page fits a phone (390 × 844) in both languages: nothing scrolls sideways, and every
amount and status is on screen, not clipped inside a table that scrolls."""

import pytest
from django.urls import reverse

from emporium.conftest import PASSWORD
from emporium.trade import orders
from emporium.trade.cart import add_to_cart
from emporium.trade.models import Cart

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
LONG_TITLE = "Hand-embroidered linen summer midi dress with puff sleeves and a sash"

# What must stay readable: money, statuses, and the button that moves the buyer on.
MUST_SHOW = ".num, .price, .money, [data-testid=order-status], [data-testid=checkout-total]"

OVERFLOW = """(selector) => {
  const width = document.documentElement.clientWidth;
  const clipped = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown at this width
    if (box.left < -1 || box.right > width + 1) clipped.push(el.outerHTML.slice(0, 120));
  }
  return {scroll: document.documentElement.scrollWidth, width, clipped};
}"""


@pytest.fixture
def buyer_with_history(funded_buyer, address, shop, make_item):
    """Bob with a two-line cart and orders in several states, with long titles."""
    dress = make_item(shop, title=LONG_TITLE, price="3999.00", options={"Size": ["S", "M"]})
    coat = make_item(shop, title="Camel wool double-breasted winter coat", price="1480.00")
    for status in ["pending_payment", "paid", "shipped"]:
        (order,) = orders.checkout(funded_buyer, address, [(dress.skus.first(), 1)])
        if status != "pending_payment":
            orders.pay(funded_buyer, [order])
        if status == "shipped":
            orders.ship(order, "SF Express", "SF1234567")
    cart = Cart.objects.create(member=funded_buyer)
    add_to_cart(cart, dress.skus.last(), 3)
    add_to_cart(cart, coat.skus.get(), 1)
    return funded_buyer, dress, order


def buyer_pages(dress, order) -> list[str]:
    return [
        reverse("storefront:home"),
        reverse("storefront:search") + "?q=dress",
        reverse("storefront:category", args=["dresses"]),
        reverse("storefront:item", args=[dress.public_id]),
        reverse("storefront:shop", args=[dress.shop.slug]),
        reverse("storefront:cart"),
        reverse("trade:checkout"),
        reverse("trade:orders"),
        reverse("trade:order", args=[order.public_id]),
        reverse("trade:wallet"),
        reverse("members:profile"),
        reverse("members:addresses"),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_buyer_page_fits_a_phone(chromium, live_server, buyer_with_history, language):
    buyer, dress, order = buyer_with_history
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(reverse("members:login"))
    page.locator("input[name=username]").fill(buyer.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    problems = {}
    for path in buyer_pages(dress, order):
        page.goto(path)
        found = page.evaluate(OVERFLOW, MUST_SHOW)
        if found["scroll"] > found["width"] or found["clipped"]:
            problems[path] = found
    context.close()
    assert not problems


def test_the_item_page_keeps_add_to_cart_in_reach_on_a_phone(
    chromium, live_server, shop, make_item
):
    dress = make_item(shop, title=LONG_TITLE, options={"Size": ["S", "M"]})
    path = reverse("storefront:item", args=[dress.public_id])
    phone = chromium.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = phone.new_page()
    page.goto(path)
    page.mouse.wheel(0, 3000)  # read the description
    page.wait_for_timeout(200)
    bar = page.get_by_test_id("sticky-buy")
    assert bar.is_visible()
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"] + 1
    bar.get_by_role("link", name="Add to cart").click()  # back to the choices
    page.wait_for_timeout(300)
    assert page.locator("[data-add-button]").is_visible()
    choice = page.locator(".option-value").first.bounding_box()
    assert choice is not None and 0 <= choice["y"] < PHONE["height"]
    phone.close()

    desktop = chromium.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = desktop.new_page()
    page.goto(path)
    assert not page.get_by_test_id("sticky-buy").is_visible(), "desktop has the buy box in view"
    desktop.close()


def test_a_guest_reaches_checkout_by_signing_up_on_the_way(page, shop, make_item):
    make_item(shop, title="Wool winter coat", price="420.00")
    page.goto("/")
    page.get_by_role("link", name="Wool winter coat").first.click()
    page.locator("[data-add-button]").click()
    page.goto(reverse("storefront:cart"))
    page.get_by_test_id("checkout").click()
    page.get_by_role("link", name="Create an account").click()
    page.locator("input[name=username]").fill("newbie")
    page.locator("input[name=email]").fill("newbie@example.com")
    page.locator("input[name=password1]").fill("a-long-pass-phrase-9")
    page.locator("input[name=password2]").fill("a-long-pass-phrase-9")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"**{reverse('trade:checkout')}")
    assert "Wool winter coat" in page.get_by_test_id("quote").inner_text()
