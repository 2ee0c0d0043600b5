"""In a real browser: search, open an item, pick a SKU, add to the cart, log in — the cart survives."""

import pytest
from django.urls import reverse

from emporium.catalog.models import Sku
from emporium.conftest import PASSWORD
from emporium.trade.models import Cart

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitors_cart_survives_logging_in(page, buyer, shop, make_item):
    make_item(shop, title="Wool winter coat", price="420.00")
    dress = make_item(
        shop, title="Linen summer dress", options={"Colour": ["Red", "Blue"], "Size": ["S", "M"]}
    )
    blue_m = Sku.objects.get(item=dress, options={"Colour": "Blue", "Size": "M"})

    page.goto("/")
    page.get_by_role("searchbox").fill("summer")
    page.get_by_role("searchbox").press("Enter")
    page.get_by_role("link", name="Linen summer dress").first.click()
    page.wait_for_url(f"**{reverse('storefront:item', args=[dress.public_id])}")

    page.locator('.option-value[data-option="Colour"][data-value="Blue"]').click()
    page.locator('.option-value[data-option="Size"][data-value="M"]').click()
    price = page.locator("[data-price]")
    assert price.inner_text() == "¥202.00", "the picker shows the chosen SKU's own price"
    page.locator("[data-quantity]").fill("2")
    page.locator("[data-add-button]").click()
    assert page.get_by_test_id("cart-count").inner_text() == "2"

    page.goto(reverse("members:login") + "?next=" + reverse("storefront:cart"))
    page.get_by_label("Username").fill(buyer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{reverse('storefront:cart')}")

    assert "Linen summer dress" in page.content()
    assert page.get_by_test_id("cart-count").inner_text() == "2"
    line = Cart.objects.get(member=buyer).lines.get()
    assert (line.sku_id, line.quantity) == (blue_m.pk, 2)
