"""What shoppers trust on the item page: reviewer names masked, the item's own rating, a picture
viewer on the page, and the picture of the colour they choose (issue 23, point 6)."""

import pytest
from django.urls import reverse

from emporium.catalog import services as catalog
from emporium.catalog.models import Sku
from emporium.community import reviews
from emporium.community.models import mask_name
from emporium.fixtures import make_member
from emporium.storefront.tests.helpers import add_picture, text
from emporium.trade import orders


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Bob Buyer", "B***r"), ("bob", "b***b"), ("王小明", "王***明"), ("Al", "A***l"), ("Q", "*")],
)
def test_reviewer_names_are_masked_as_marketplaces_do(name, masked):
    assert mask_name(name) == masked


def settled_review(buyer, address, item, stars: int):
    (order,) = orders.checkout(buyer, address, [(item.skus.first(), 1)])
    orders.pay(buyer, [order])
    orders.ship(order, "SF Express", "SF1")
    orders.confirm_receipt(order)
    return reviews.write_review(buyer, order.lines.get(), stars, "Lovely")


def test_the_item_shows_its_own_rating_and_masked_reviewers(
    client, funded_buyer, address, shop, make_item
):
    dress = make_item(shop, title="Linen dress")
    coat = make_item(shop, title="Wool coat")
    settled_review(funded_buyer, address, dress, 5)
    settled_review(funded_buyer, address, dress, 4)
    settled_review(funded_buyer, address, coat, 1)  # the shop's, not this item's
    page = text(client.get(reverse("storefront:item", args=[dress.public_id])))
    assert "4.5★ · 2 reviews" in page
    assert "2 reviews of this item" in page
    assert "The shop: 3.3★ from 3 reviews" in page
    assert "B***r" in page and "Bob Buyer" not in page


def test_the_item_page_reads_both_ratings_in_one_query(shop, make_item, django_assert_num_queries):
    dress = make_item(shop)
    with django_assert_num_queries(1):
        item_rating, shop_rating = reviews.item_and_shop_rating(dress)
    assert item_rating["count"] == shop_rating["count"] == 0


def test_a_seller_marks_which_colour_a_picture_shows(client, seller, shop, make_item):
    seller_client = client
    seller_client.force_login(seller)
    dress = make_item(shop, options={"Colour": ["Red", "Blue"], "Size": ["S"]})
    red, blue = add_picture(dress, (200, 0, 0)), add_picture(dress, (0, 0, 200))
    url = reverse("sellercenter:picture_shows", args=[dress.public_id, blue.pk])
    seller_client.post(url, {"shows": "Blue"})
    blue.refresh_from_db()
    assert blue.shows == "Blue"
    seller_client.post(url, {"shows": "Green"})  # not an option of this item
    blue.refresh_from_db()
    assert blue.shows == "Blue"
    stranger = make_member("mallory")
    seller_client.force_login(stranger)
    seller_client.post(url, {"shows": ""})
    blue.refresh_from_db()
    assert blue.shows == "Blue" and red.shows == ""


@pytest.mark.django_db(transaction=True)
def test_choosing_a_colour_shows_its_picture_and_the_main_picture_opens_a_viewer(
    page, shop, make_item
):
    dress = make_item(shop, options={"Colour": ["Red", "Blue"], "Size": ["S", "M"]})
    add_picture(dress, (200, 0, 0))
    blue = add_picture(dress, (0, 0, 200))
    catalog.mark_picture(dress, blue.pk, "Blue")
    assert Sku.objects.filter(item=dress).count() == 4
    page.goto(reverse("storefront:item", args=[dress.public_id]))
    main = page.locator("[data-gallery-main]")
    assert main.get_attribute("src") != blue.url(600)
    page.locator('.option-value[data-option="Colour"][data-value="Blue"]').click()
    assert main.get_attribute("src") == blue.url(600)

    page.locator("[data-gallery-link]").click()
    viewer = page.get_by_test_id("picture-viewer")
    assert viewer.is_visible()
    assert viewer.locator("img").get_attribute("src") == blue.url(1200)
    assert page.url.endswith(reverse("storefront:item", args=[dress.public_id]))
    page.keyboard.press("ArrowLeft")
    assert viewer.locator("img").get_attribute("src") != blue.url(1200)
    page.keyboard.press("Escape")
    assert not viewer.is_visible()


def shown_sold(client, item) -> tuple[str, str]:
    """The sold count on the item's card (its shop page) and on its item page."""
    import re

    shop_page = text(client.get(reverse("storefront:shop", args=[item.shop.slug])))
    card = next(c for c in shop_page.split('<li class="card">')[1:] if item.title in c)
    item_page = text(client.get(reverse("storefront:item", args=[item.public_id])))
    pattern = r'data-testid="{}">([^<]*)<'
    return (
        re.search(pattern.format("card-sold"), card).group(1),
        re.search(pattern.format("sold"), item_page).group(1),
    )


def test_sold_counts_come_from_paid_orders_only(
    client, funded_buyer, address, shop, make_item, books_balance
):
    from decimal import Decimal

    from emporium.trade import refunds

    dress = make_item(shop, title="Linen dress", stock=20)
    sku = dress.skus.get()
    assert shown_sold(client, dress) == ("0 sold", "0 sold")
    (paid,) = orders.checkout(funded_buyer, address, [(sku, 3)])
    orders.pay(funded_buyer, [paid])
    assert shown_sold(client, dress) == ("3 sold", "3 sold")
    (unpaid,) = orders.checkout(funded_buyer, address, [(sku, 2)])
    assert shown_sold(client, dress) == ("3 sold", "3 sold"), "an unpaid order sold nothing"
    orders.cancel_unpaid(unpaid, "buyer")
    assert shown_sold(client, dress) == ("3 sold", "3 sold"), "nor does it once cancelled"
    (second,) = orders.checkout(funded_buyer, address, [(sku, 1)])
    orders.pay(funded_buyer, [second])
    assert shown_sold(client, dress) == ("4 sold", "4 sold")
    refund = refunds.request_refund(second, funded_buyer, Decimal("199.00"), "Changed my mind")
    refunds.agree(refund)  # in full: the order is cancelled, the sale given back
    assert shown_sold(client, dress) == ("3 sold", "3 sold")
    books_balance()  # includes: every item's sold count equals its paid orders' units


def test_the_trading_check_finds_a_sold_count_no_order_explains(shop, make_item):
    from emporium.catalog.models import Item
    from emporium.trade.bestsellers import recount_sales, sold_count_problems

    dress = make_item(shop, title="Linen dress")
    Item.objects.filter(pk=dress.pk).update(sales_count=1200)  # a seeded, invented number
    assert sold_count_problems() == [f"item {dress.pk} shows 1200 sold but its orders hold 0"]
    assert recount_sales() == 1
    assert sold_count_problems() == []
