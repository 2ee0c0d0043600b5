"""Each storefront page tells collect.js its type and ids; other parts of the site load nothing."""

import json
import re

import pytest
from django.urls import reverse

from emporium.trade.models import Order

pytestmark = pytest.mark.django_db


def config_of(response) -> dict | None:
    found = re.search(
        r'<script id="customer-events-config" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return json.loads(found.group(1)) if found else None


def test_the_item_page_names_the_item_its_shop_and_category(client, item):
    response = client.get(reverse("storefront:item", args=[item.public_id]))
    assert config_of(response)["page"] == {
        "type": "item", "item_id": str(item.public_id), "shop_id": str(item.shop.public_id),
        "category_id": item.category_id,
    }  # fmt: skip
    assert "customer_events/collect.js" in response.content.decode()
    assert 'href="https://db-ip.com"' in response.content.decode()


def test_home_search_category_and_shop_pages(client, shop, dresses):
    assert config_of(client.get("/"))["page"] == {"type": "home"}
    assert config_of(client.get("/search/?q=linen"))["page"] == {
        "type": "search",
        "search": "linen",
    }
    category = config_of(client.get(reverse("storefront:category", args=[dresses.slug])))
    assert category["page"] == {"type": "category", "category_id": dresses.pk}
    shop_page = config_of(client.get(reverse("storefront:shop", args=[shop.slug])))
    assert shop_page["page"] == {"type": "shop", "shop_id": str(shop.public_id)}


def test_seller_and_account_pages_are_not_tracked(client, seller):
    assert config_of(client.get(reverse("members:login"))) is None
    client.force_login(seller)
    assert config_of(client.get(reverse("sellercenter:dashboard"))) is None


def test_the_page_after_checkout_reports_each_order_once(client, buyer, item, address):
    client.force_login(buyer)
    sku = item.skus.first()
    client.post(reverse("storefront:cart_add"), {"sku": sku.pk, "quantity": 2})
    response = client.post(reverse("trade:checkout"), {"address": address.pk}, follow=True)

    order = Order.objects.get(buyer=buyer)
    assert response.request["PATH_INFO"] == reverse("trade:pay")
    assert config_of(response)["checkout"] == [
        {"order_id": str(order.public_id), "total": f"{order.total_amount:.2f}", "currency": "CNY"}
    ]
    again = client.get(reverse("trade:pay") + f"?orders={order.public_id}")
    assert "checkout" not in config_of(again), "a reload does not count the order again"
