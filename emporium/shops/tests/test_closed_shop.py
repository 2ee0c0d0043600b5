"""A closed or suspended shop's items cannot be found, opened, carted or bought on any path."""

import pytest
from django.urls import reverse

from emporium.api.tests.conftest import Api
from emporium.catalog.models import Item
from emporium.catalog.search import SearchQuery, search_items
from emporium.conftest import PASSWORD
from emporium.shops.models import Shop
from emporium.shops.services import ShopError, set_status
from emporium.storefront.tests.helpers import flashes, text
from emporium.trade import cart as carts
from emporium.trade import orders
from emporium.trade.models import Cart, CartLine, Order
from emporium.trade.states import TradeError

HIDDEN = [Shop.Status.CLOSED, Shop.Status.SUSPENDED]


@pytest.fixture
def two_shops(shop, other_shop, make_item, phones):
    """Mei's dress and Otto's phone, both on sale."""
    return make_item(shop, title="Summer dress"), make_item(
        other_shop, title="Summer phone", category=phones
    )


def found(query: SearchQuery) -> list[str]:
    return sorted(item.title for item in search_items(query))


def page_titles(response) -> list[str]:
    return sorted(item.title for item in response.context["page"].object_list)


def test_opening_closing_and_suspending_a_shop_go_through_one_function(shop):
    assert set_status(shop, Shop.Status.CLOSED) is True
    assert set_status(shop, Shop.Status.CLOSED) is False  # nothing changed, nothing to tell
    shop.refresh_from_db()
    assert shop.status == "closed" and not shop.is_open
    assert set_status(shop, Shop.Status.SUSPENDED) is True
    assert set_status(shop, Shop.Status.OPEN) is True
    shop.refresh_from_db()
    assert shop.is_open


def test_an_unknown_status_is_refused_on_the_status_field(shop):
    with pytest.raises(ShopError) as refused:
        set_status(shop, "gone")
    assert refused.value.field == "status"
    shop.refresh_from_db()
    assert shop.status == "open"


@pytest.mark.parametrize("status", HIDDEN)
def test_the_publicly_visible_items_leave_out_a_closed_or_suspended_shop(shop, two_shops, status):
    set_status(shop, status)
    assert [i.title for i in Item.objects.visible()] == ["Summer phone"]
    set_status(shop, Shop.Status.OPEN)
    assert sorted(i.title for i in Item.objects.visible()) == ["Summer dress", "Summer phone"]


@pytest.mark.parametrize("status", HIDDEN)
def test_search_leaves_out_the_items_of_a_closed_or_suspended_shop(shop, two_shops, status):
    assert found(SearchQuery(text="summer")) == ["Summer dress", "Summer phone"]
    set_status(shop, status)
    assert found(SearchQuery(text="summer")) == ["Summer phone"]  # FTS5 / PostgreSQL full text
    assert found(SearchQuery(text="夏")) == []  # the CJK substring path
    assert found(SearchQuery()) == ["Summer phone"]
    assert found(SearchQuery(shop_id=shop.pk)) == []


@pytest.mark.parametrize("status", HIDDEN)
def test_storefront_lists_leave_them_out(client, shop, two_shops, status):
    set_status(shop, status)
    home = client.get(reverse("storefront:home"))
    assert [i.title for i in home.context["hot_items"]] == ["Summer phone"]
    search = client.get(reverse("storefront:search"), {"q": "summer"})
    assert page_titles(search) == ["Summer phone"]
    women = client.get(reverse("storefront:category", args=["women"]))
    assert page_titles(women) == []
    assert "Summer dress" not in text(women)


@pytest.mark.parametrize("status", HIDDEN)
def test_the_shop_page_and_the_item_page_are_not_found(client, shop, two_shops, status):
    dress, phone = two_shops
    set_status(shop, status)
    assert client.get(reverse("storefront:shop", args=[shop.slug])).status_code == 404
    assert client.get(reverse("storefront:item", args=[dress.public_id])).status_code == 404
    assert client.get(reverse("storefront:item", args=[phone.public_id])).status_code == 200


def test_reopening_the_shop_brings_its_pages_back(client, shop, two_shops):
    dress, _phone = two_shops
    set_status(shop, Shop.Status.CLOSED)
    set_status(shop, Shop.Status.OPEN)
    assert client.get(reverse("storefront:shop", args=[shop.slug])).status_code == 200
    assert client.get(reverse("storefront:item", args=[dress.public_id])).status_code == 200


def test_no_question_can_be_asked_about_its_items(client, buyer, shop, two_shops):
    dress, _phone = two_shops
    set_status(shop, Shop.Status.CLOSED)
    client.force_login(buyer)
    url = reverse("storefront:ask_question", args=[dress.public_id])
    assert client.post(url, {"text": "Still there?"}).status_code == 404
    assert not dress.questions.exists()


@pytest.mark.parametrize("status", HIDDEN)
def test_adding_its_item_to_the_cart_is_refused(client, shop, two_shops, status):
    dress, _phone = two_shops
    set_status(shop, status)
    response = client.post(
        reverse("storefront:cart_add"), {"sku": dress.skus.get().pk, "quantity": 1}, follow=True
    )
    assert "This shop is closed." in flashes(response)
    assert not CartLine.objects.exists()


def test_a_line_already_in_the_cart_shows_as_unavailable_and_stays_out_of_the_total(
    client, buyer, shop, two_shops
):
    dress, phone = two_shops
    client.login(username=buyer.username, password=PASSWORD)
    for item in two_shops:
        client.post(reverse("storefront:cart_add"), {"sku": item.skus.get().pk, "quantity": 1})
    set_status(shop, Shop.Status.CLOSED)
    response = client.get(reverse("storefront:cart"))
    summary = response.context["summary"]
    problems = {view.line.sku.item.title: view.problem for g in summary.groups for view in g.lines}
    assert problems == {"Summer dress": "The shop is closed.", "Summer phone": ""}
    assert summary.total == phone.price
    assert "The shop is closed." in text(response)
    line = CartLine.objects.get(sku__item=dress)
    with pytest.raises(carts.CartError, match="This shop is closed."):
        carts.set_quantity(Cart.objects.get(member=buyer), line.pk, 2)


@pytest.mark.parametrize("status", HIDDEN)
def test_checkout_is_refused_with_a_clear_error_and_writes_nothing(
    client, funded_buyer, address, shop, two_shops, status
):
    dress, phone = two_shops
    client.force_login(funded_buyer)
    for item in (phone, dress):
        client.post(reverse("storefront:cart_add"), {"sku": item.skus.get().pk, "quantity": 1})
    cart = Cart.objects.get(member=funded_buyer)
    set_status(shop, status)
    wanted = [(line.sku, line.quantity) for line in cart.lines.all()]
    with pytest.raises(TradeError) as refused:
        orders.checkout(funded_buyer, address, wanted)
    assert refused.value.code == "shop_closed"
    assert str(refused.value) == "“Mei's Closet” is closed; remove its items from your cart."
    assert not Order.objects.exists()
    assert [item.skus.get().stock for item in (dress, phone)] == [10, 10]
    assert cart.lines.count() == 2


def test_the_checkout_page_says_why_it_refused(client, funded_buyer, address, shop, two_shops):
    dress, _phone = two_shops
    client.force_login(funded_buyer)
    client.post(reverse("storefront:cart_add"), {"sku": dress.skus.get().pk, "quantity": 1})
    set_status(shop, Shop.Status.CLOSED)
    response = client.post(reverse("trade:checkout"), {"address": address.pk}, follow=True)
    assert "“Mei's Closet” is closed; remove its items from your cart." in flashes(response)
    assert not Order.objects.exists()


def test_the_checkout_page_prices_only_what_can_be_bought_and_says_why(
    client, funded_buyer, address, shop, two_shops
):
    dress, phone = two_shops
    client.force_login(funded_buyer)
    for item in two_shops:
        client.post(reverse("storefront:cart_add"), {"sku": item.skus.get().pk, "quantity": 1})
    set_status(shop, Shop.Status.CLOSED)
    response = client.get(reverse("trade:checkout"))
    assert [q.shop.pk for q in response.context["quotes"]] == [phone.shop_id]
    assert response.context["total"] == phone.price
    assert "Items of a closed shop are in your cart; remove them to check out." in flashes(response)


@pytest.mark.parametrize("status", HIDDEN)
def test_the_public_catalog_api_leaves_them_out(make_token, shop, two_shops, status):
    api = Api(make_token(None, "catalog:read"))
    set_status(shop, status)
    rows = api.get("/catalog/items").json()["data"]
    assert [row["title"] for row in rows] == ["Summer phone"]
