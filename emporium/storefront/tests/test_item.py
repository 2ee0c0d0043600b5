"""The item page: gallery, description, SKU picker with a plain fallback; only items on sale."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from emporium.catalog import services as catalog
from emporium.catalog.models import Item
from emporium.members.models import Member
from emporium.storefront.tests.helpers import add_picture, text


def item_url(item) -> str:
    return reverse("storefront:item", args=[item.public_id])


def sku_data(response) -> dict:
    match = re.search(
        r'<script id="sku-data" type="application/json">(.*?)</script>', text(response)
    )
    return json.loads(match.group(1))


def test_it_shows_title_price_range_shop_and_category(client, shop, item):
    response = client.get(item_url(item))
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Linen summer dress</h1>" in page
    assert "¥199.00 – ¥202.00" in page
    assert reverse("storefront:shop", args=[shop.slug]) in page
    assert reverse("storefront:category", args=["dresses"]) in page


def test_it_shows_one_price_when_every_sku_costs_the_same(client, shop, make_item):
    plain = make_item(shop, title="Plain tee", price="39.90")
    page = text(client.get(item_url(plain)))
    assert "¥39.90" in page
    assert "–" not in page.split("data-price")[1].split("</span>")[0]


def test_it_renders_the_sanitised_description_as_html(client, shop, make_item):
    dress = make_item(
        shop,
        title="Dress",
        description_html=(
            "<p>Soft <strong>linen</strong></p><script>alert(1)</script>"
            "<img src=/media/pictures/ab/x.webp onerror=alert(2)>"
        ),
    )
    page = text(client.get(item_url(dress)))
    assert "<p>Soft <strong>linen</strong></p>" in page
    assert "alert(1)" not in page
    assert "onerror" not in page


@pytest.mark.parametrize("status", [Item.Status.STOCK_ROOM, Item.Status.DELETED])
def test_an_item_not_on_sale_is_not_found(client, shop, make_item, status):
    hidden = make_item(shop, title="Hidden", status=status)
    assert client.get(item_url(hidden)).status_code == 404


def test_an_unknown_item_is_not_found(client, db):
    assert client.get(reverse("storefront:item", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/item/not-a-uuid/").status_code == 404


def test_the_gallery_shows_the_first_picture_large_and_every_picture_as_a_thumbnail(client, item):
    first = add_picture(item, colour=(10, 10, 10))
    second = add_picture(item, colour=(250, 250, 250))
    page = text(client.get(item_url(item)))
    assert f'src="{first.medium_url}"' in page
    assert f'href="{first.large_url}"' in page
    for image in (first, second):
        assert f'data-medium="{image.medium_url}"' in page
        assert f'src="{image.thumb_url}"' in page
    assert "js/storefront.js" in page


def test_an_item_without_pictures_says_so(client, item):
    assert "No picture yet" in text(client.get(item_url(item)))


def test_the_picker_offers_a_button_per_option_value(client, item):
    page = text(client.get(item_url(item)))
    for name, value in [("Colour", "Red"), ("Colour", "Blue"), ("Size", "S"), ("Size", "M")]:
        assert f'data-option="{name}" data-value="{value}"' in page


def test_the_sku_data_for_the_script_lists_every_sku_with_price_and_stock(client, item):
    data = sku_data(client.get(item_url(item)))
    assert data["options"] == ["Colour", "Size"]
    by_options = {(s["options"]["Colour"], s["options"]["Size"]): s for s in data["skus"]}
    assert by_options[("Red", "S")]["price"] == "¥199.00"
    assert by_options[("Blue", "M")]["price"] == "¥202.00"
    assert {s["stock"] for s in data["skus"]} == {10}
    assert {s["id"] for s in data["skus"]} == set(item.skus.values_list("pk", flat=True))


def test_without_script_a_plain_select_of_skus_works_and_sold_out_ones_are_disabled(client, item):
    red_small = item.skus.get(options={"Colour": "Red", "Size": "S"})
    catalog.update_skus(item, {red_small.pk: (red_small.price, 0)})
    page = text(client.get(item_url(item)))
    assert '<select id="sku-select" name="sku">' in page
    assert re.search(rf'<option value="{red_small.pk}" disabled>', page)
    # The first SKU in stock is chosen, so the form can be sent as it is.
    red_medium = item.skus.get(options={"Colour": "Red", "Size": "M"})
    assert re.search(rf'<option value="{red_medium.pk}" selected>', page)


def test_a_value_sold_out_in_every_combination_is_disabled(client, item):
    reds = item.skus.filter(options__Colour="Red")
    catalog.update_skus(item, {s.pk: (s.price, 0) for s in reds})
    page = text(client.get(item_url(item)))
    assert 'data-option="Colour" data-value="Red" aria-pressed="false" disabled' in page
    assert 'data-option="Colour" data-value="Blue" aria-pressed="false">' in page


def test_an_item_with_one_sku_posts_it_without_a_picker(client, shop, make_item):
    plain = make_item(shop, title="Plain tee")
    page = text(client.get(item_url(plain)))
    assert f'<input type="hidden" name="sku" value="{plain.skus.get().pk}">' in page
    assert "data-sku-picker" not in page


def test_an_item_sold_out_says_so_and_cannot_be_added(client, shop, make_item):
    plain = make_item(shop, title="Plain tee")
    sku = plain.skus.get()
    catalog.update_skus(plain, {sku.pk: (sku.price, 0)})
    page = text(client.get(item_url(plain)))
    assert "Sold out" in page
    assert re.search(r"data-add-button disabled", page)


def test_the_add_to_cart_form_posts_to_the_cart_and_comes_back(client, item):
    page = text(client.get(item_url(item)))
    assert f'action="{reverse("storefront:cart_add")}"' in page
    assert f'name="next" value="{item_url(item)}"' in page
    assert 'name="quantity"' in page


def test_it_shows_the_seller_credit_level(client, shop, item):
    Member.objects.filter(pk=shop.owner_id).update(credit_points=300)
    page = text(client.get(item_url(item)))
    assert "◆" in page  # 251+ points: one diamond


def test_a_seller_sees_no_buy_button_on_their_own_item(client, seller, item):
    client.force_login(seller)
    page = text(client.get(item_url(item)))
    assert "from your own shop" in page
    assert reverse("storefront:cart_add") not in page


def test_the_item_page_needs_a_fixed_number_of_queries(client, item, django_assert_max_num_queries):
    for n in range(4):
        add_picture(item, colour=(n * 50, 0, 0))
    # Item, SKUs, pictures, shop; prices (2); the shop's offers (4); rating; reviews (2); questions;
    # and the page cache's version and next promotion boundary (2). From the cache: 1.
    with django_assert_max_num_queries(14 + 2):
        client.get(item_url(item))
    with django_assert_max_num_queries(1):
        client.get(item_url(item))


def test_the_item_page_for_a_logged_in_buyer_needs_few_queries(
    client, buyer, item, django_assert_max_num_queries
):
    add_picture(item)
    client.force_login(buyer)
    with django_assert_max_num_queries(18):
        client.get(item_url(item))
