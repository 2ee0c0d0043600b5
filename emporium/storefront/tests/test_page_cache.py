"""Anonymous pages come from the page cache, yet every change a buyer relies on shows on the next
request, and what belongs to one buyer (their name, their cart) is never served to anyone else."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from emporium.catalog.models import Item, Sku
from emporium.lib import clock
from emporium.promotions import activities
from emporium.storefront import pagecache
from emporium.storefront.tests.helpers import text
from emporium.trade import orders
from emporium.trade.cart import add_to_cart, cart_for


def item_url(item) -> str:
    return reverse("storefront:item", args=[item.public_id])


def cached(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


def test_the_second_anonymous_request_is_served_from_the_cache_in_one_query(
    client, item, django_assert_num_queries
):
    first = client.get(item_url(item))
    assert first.status_code == 200 and not cached(first)
    with django_assert_num_queries(1):  # the page version
        second = client.get(item_url(item))
    assert cached(second)
    assert second.status_code == 200
    assert "Linen summer dress" in text(second)


@pytest.mark.parametrize(
    "page", ["storefront:home", "storefront:search", "storefront:category", "storefront:shop"]
)
def test_every_storefront_page_is_cached_for_anonymous_visitors(client, shop, item, page):
    args = {"storefront:category": ["dresses"], "storefront:shop": [shop.slug]}.get(page, [])
    url = reverse(page, args=args) + ("?q=linen" if page == "storefront:search" else "")
    assert not cached(client.get(url))
    again = client.get(url)
    assert cached(again) and "Linen summer dress" in text(again)


def test_a_price_change_shows_on_the_next_request(client, item):
    client.get(item_url(item))
    assert cached(client.get(item_url(item)))
    Sku.objects.filter(item=item).update(price=Decimal("149.00"))  # even a bare UPDATE counts
    page = client.get(item_url(item))
    assert not cached(page)
    assert "149.00" in text(page) and "199.00" not in text(page)


def test_a_sale_that_empties_the_stock_shows_on_the_next_request(
    client, shop, make_item, funded_buyer, address
):
    last_one = make_item(shop, title="Last silk scarf", stock=1)
    assert '"stock": 1}' in text(client.get(item_url(last_one)))
    assert cached(client.get(item_url(last_one)))
    orders.checkout(funded_buyer, address, [(last_one.skus.get(), 1)])  # a bare UPDATE of stock
    page = text(client.get(item_url(last_one)))
    assert '"stock": 0}' in page and "disabled>Add to cart" in page


def test_a_new_promotion_shows_on_the_next_request(client, shop, item):
    client.get(item_url(item))
    now = clock.now()
    activities.create_discount(
        shop, name="Spring sale", percent_off=Decimal("10"), items=[item],
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    page = client.get(item_url(item))
    assert not cached(page)
    assert "Spring sale" in text(page) or "179.10" in text(page)


def test_a_scheduled_promotion_shows_the_moment_it_starts_without_any_write(client, shop, item):
    now = clock.now()
    clock.set_time(now)
    try:
        activities.create_discount(
            shop, name="Midnight sale", percent_off=Decimal("50"), items=[item],
            starts_at=now + timedelta(hours=1), ends_at=now + timedelta(days=1),
        )  # fmt: skip
        before = text(client.get(item_url(item)))
        assert "99.50" not in before
        assert cached(client.get(item_url(item)))
        clock.set_time(now + timedelta(hours=1, seconds=1))
        after = client.get(item_url(item))
        assert not cached(after)
        assert "99.50" in text(after)
    finally:
        clock.set_time(None)


def test_a_hidden_item_is_gone_on_the_next_request(client, item):
    client.get(item_url(item))
    Item.objects.filter(pk=item.pk).update(status=Item.Status.STOCK_ROOM)
    assert client.get(item_url(item)).status_code == 404


def test_a_logged_in_buyer_sees_their_own_name_and_cart_and_nobody_else_does(client, buyer, item):
    url = item_url(item)
    client.get(url)  # an anonymous copy in the cache
    add_to_cart(cart_for(_as(buyer), create=True), item.skus.first(), 2)
    client.force_login(buyer)
    mine = client.get(url)
    assert not cached(mine)
    assert "Bob Buyer" in text(mine)
    assert 'data-testid="cart-count">2<' in text(mine)
    stranger = Client().get(url)
    assert "Bob Buyer" not in text(stranger)
    assert 'data-testid="cart-count">0<' in text(stranger)


def test_an_anonymous_visitor_with_a_cart_sees_their_own_count(client, item):
    url = item_url(item)
    client.get(url)
    assert cached(client.get(url))
    response = client.post(
        reverse("storefront:cart_add"), {"sku": item.skus.first().pk, "quantity": 3}
    )
    assert response.status_code == 302
    page = client.get(url)  # the visitor now has a session: their own page
    assert not cached(page)
    assert 'data-testid="cart-count">3<' in text(page)
    stranger = Client().get(url)
    assert 'data-testid="cart-count">0<' in text(stranger)


def test_a_page_from_the_cache_carries_a_csrf_token_that_works_for_its_visitor(item):
    Client().get(item_url(item))  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(item_url(item))
    assert cached(page)
    token = visitor.cookies["csrftoken"].value
    masked = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = visitor.post(
        reverse("storefront:cart_add"),
        {"sku": item.skus.first().pk, "quantity": 1, "csrfmiddlewaretoken": masked},
    )
    assert token and response.status_code == 302  # 403 if the token were someone else's


def test_writes_to_the_visitors_own_tables_keep_the_cache(client, item):
    client.get(item_url(item))
    version = pagecache.current_version()
    Client().post(reverse("storefront:cart_add"), {"sku": item.skus.first().pk, "quantity": 1})
    assert pagecache.current_version() == version
    assert cached(client.get(item_url(item)))


def test_the_cache_can_be_turned_off(client, item, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(item_url(item))
    assert not cached(client.get(item_url(item)))


def _as(member):
    """A request-like object for cart_for: the member, logged in."""

    class Request:
        user = member

    return Request()


def test_a_flash_sale_countdown_from_the_cache_counts_the_time_the_page_was_kept(
    client, shop, item
):
    now = clock.now()
    clock.set_time(now)
    try:
        activities.create_flash_sale(
            shop, name="Noon flash", sku=item.skus.first(), flash_price=Decimal("99.00"),
            stock_limit=5, per_buyer_limit=1, starts_at=now - timedelta(minutes=1),
            ends_at=now + timedelta(seconds=3600),
        )  # fmt: skip
        assert 'data-seconds="3600"' in client.get(item_url(item)).content.decode()
        clock.set_time(now + timedelta(seconds=42))
        kept = client.get(item_url(item))
        assert cached(kept)
        assert 'data-seconds="3558"' in kept.content.decode()
    finally:
        clock.set_time(None)


def test_an_order_of_another_item_keeps_this_item_page_but_not_the_lists(
    client, shop, other_shop, item, make_item, funded_buyer, address
):
    elsewhere = make_item(other_shop, title="Wool coat", stock=5)
    client.get(item_url(item))
    client.get(reverse("storefront:home"))
    (order,) = orders.checkout(funded_buyer, address, [(elsewhere.skus.get(), 2)])
    orders.pay(funded_buyer, [order])
    assert cached(client.get(item_url(item)))
    # The coat's own page and the lists show the new stock and sales.
    assert '"stock": 3}' in text(client.get(item_url(elsewhere)))
    assert not cached(client.get(reverse("storefront:home")))


def test_a_restock_by_a_bare_update_shows_on_the_next_request(client, shop, make_item):
    scarf = make_item(shop, title="Silk scarf", stock=0)
    assert "disabled>Add to cart" in text(client.get(item_url(scarf)))
    Sku.objects.filter(item=scarf).update(stock=7)
    page = client.get(item_url(scarf))
    assert not cached(page)
    assert '"stock": 7}' in text(page) and "disabled>Add to cart" not in text(page)


def test_a_sku_edit_beside_its_stock_shows_on_the_next_request(client, item):
    client.get(item_url(item))
    Sku.objects.filter(item=item).update(stock=4, code="renamed", price=Decimal("88.00"))
    page = client.get(item_url(item))
    assert not cached(page)
    assert "88.00" in text(page)
