"""The home page shows the best sellers on sale and the category tree, or a helpful empty state."""

from django.urls import reverse

from emporium.catalog.models import Item
from emporium.storefront.tests.helpers import add_picture, text


def test_it_lists_items_on_sale_best_sellers_first(client, shop, make_item):
    quiet = make_item(shop, title="Quiet dress")
    hot = make_item(shop, title="Hot dress")
    Item.objects.filter(pk=hot.pk).update(sales_count=50)
    Item.objects.filter(pk=quiet.pk).update(sales_count=2)
    make_item(shop, title="Hidden dress", status=Item.Status.STOCK_ROOM)

    response = client.get(reverse("storefront:home"))

    assert response.status_code == 200
    titles = [item.title for item in response.context["hot_items"]]
    assert titles == ["Hot dress", "Quiet dress"]
    assert "Hidden dress" not in text(response)
    assert "¥199.00" in text(response)


def test_it_shows_the_category_tree_with_links(client, db):
    response = client.get(reverse("storefront:home"))
    page = text(response)
    assert "Women&#x27;s clothing" in page
    assert reverse("storefront:category", args=["dresses"]) in page


def test_it_names_categories_in_chinese_for_chinese_visitors(client, db):
    response = client.get(reverse("storefront:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "连衣裙" in text(response)
    assert "Dresses" not in text(response)


def test_it_shows_a_useful_empty_state_when_nothing_is_on_sale(client, db):
    response = client.get(reverse("storefront:home"))
    page = text(response)
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in page
    assert reverse("members:signup") in page


def test_it_invites_a_member_without_a_shop_to_open_one_in_the_empty_state(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("storefront:home"))
    assert reverse("sellercenter:open_shop") in text(response)


def test_it_shows_each_item_cover_picture(client, shop, item):
    image = add_picture(item)
    response = client.get(reverse("storefront:home"))
    assert image.thumb_url in text(response)


def test_it_needs_a_fixed_number_of_queries_however_many_items(
    client, shop, make_item, django_assert_max_num_queries
):
    for n in range(30):
        dress = make_item(shop, title=f"Dress {n}")
        if n < 3:
            add_picture(dress, colour=(n * 40, 10, 10))
    # The hot items priced as their item pages price them: SKUs, flash sales, discounts (3).
    # And the page cache's version and next promotion boundary (2); from the cache: 1.
    with django_assert_max_num_queries(4 + 3 + 2):
        response = client.get(reverse("storefront:home"))
    assert len(response.context["hot_items"]) == 24
    with django_assert_max_num_queries(1):
        client.get(reverse("storefront:home"))


def test_a_logged_in_buyer_home_also_needs_few_queries(
    client, buyer, shop, make_item, django_assert_max_num_queries
):
    for n in range(10):
        make_item(shop, title=f"Dress {n}")
    client.force_login(buyer)
    with django_assert_max_num_queries(8 + 3):
        client.get(reverse("storefront:home"))
