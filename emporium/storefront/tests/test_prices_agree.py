"""Every list shows the price the item page shows and checkout charges: promotions applied, the
list price struck through, the promotion named (issue 23, point 3)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from emporium.promotions import activities
from emporium.storefront.tests.helpers import text


@pytest.fixture
def on_sale(shop, make_item):
    """A 353.90 dress at 15% off in the Spring sale: 300.82 everywhere."""
    dress = make_item(shop, title="Linen summer dress", price="353.90")
    make_item(shop, title="Plain summer dress", price="120.00")
    now = timezone.now()
    activities.create_discount(
        shop, name="Spring sale", percent_off=Decimal("15"), items=[dress],
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=3),
    )  # fmt: skip
    return dress


def card(page: str, title: str) -> str:
    """The HTML of the card with this title."""
    for chunk in page.split('<li class="card">')[1:]:
        if title in chunk:
            return chunk.split("</li>")[0]
    raise AssertionError(f"no card for {title}")


@pytest.mark.parametrize(
    "where",
    [
        reverse("storefront:home"),
        reverse("storefront:search") + "?q=summer",
        reverse("storefront:category", args=["dresses"]),
        "shop",
    ],
)
def test_lists_show_the_item_pages_price_with_its_promotion(client, shop, on_sale, where):
    url = reverse("storefront:shop", args=[shop.slug]) if where == "shop" else where
    shown = card(text(client.get(url)), "Linen summer dress")
    assert re.search(r'data-testid="card-price">¥300\.82<', shown)
    assert '<s class="muted">¥353.90</s>' in shown and "Spring sale" in shown
    plain = card(text(client.get(url)), "Plain summer dress")
    assert "¥120.00" in plain and "<s class" not in plain and "Spring sale" not in plain
    item_page = text(client.get(reverse("storefront:item", args=[on_sale.public_id])))
    assert "¥300.82" in item_page and "¥353.90" in item_page and "Spring sale" in item_page
