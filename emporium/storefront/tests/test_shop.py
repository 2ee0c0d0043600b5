"""The shop page: logo, description, seller credit, the shop's own categories and its items."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.conftest import picture_bytes
from emporium.members.models import Member
from emporium.shops.services import add_shop_category, set_logo
from emporium.storefront.tests.helpers import text


def shop_url(shop) -> str:
    return reverse("storefront:shop", args=[shop.slug])


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def test_it_shows_the_shop_name_description_and_only_its_own_items_on_sale(
    client, shop, other_shop, make_item
):
    make_item(shop, title="Mei's dress")
    make_item(shop, title="Mei's draft", status=Item.Status.STOCK_ROOM)
    make_item(other_shop, title="Otto's phone")
    response = client.get(shop_url(shop))
    page = text(response)
    assert response.status_code == 200
    assert "Mei&#x27;s Closet" in page
    assert "Dresses and coats" in page
    assert titles(response) == ["Mei's dress"]


def test_it_shows_the_logo(client, shop):
    set_logo(shop, SimpleUploadedFile("logo.png", picture_bytes(), content_type="image/png"))
    assert shop.logo_url() in text(client.get(shop_url(shop)))


@pytest.mark.parametrize(
    ("points", "symbols"),
    [(45, "♥♥♥"), (300, "◆"), (25_000, "♛♛")],
)
def test_it_shows_the_seller_credit_as_hearts_diamonds_or_crowns(client, shop, points, symbols):
    Member.objects.filter(pk=shop.owner_id).update(credit_points=points)
    page = text(client.get(shop_url(shop)))
    assert f'<span class="credit-symbols" aria-hidden="true">{symbols}</span>' in page
    assert f'<span class="credit-points">{points}</span>' in page


def test_a_new_seller_is_shown_as_new(client, shop):
    assert "New seller" in text(client.get(shop_url(shop)))


def test_it_filters_by_the_shop_own_categories(client, shop, make_item):
    summer = add_shop_category(shop, "Summer")
    add_shop_category(shop, "Winter")
    make_item(shop, title="Sun dress", shop_categories=[summer])
    make_item(shop, title="Wool coat")
    response = client.get(shop_url(shop), {"group": str(summer.pk)})
    assert titles(response) == ["Sun dress"]
    assert "Winter" in text(response)


def test_a_category_of_another_shop_is_refused_with_a_message(client, shop, other_shop, make_item):
    theirs = add_shop_category(other_shop, "Phones")
    make_item(shop, title="Sun dress")
    for group in (str(theirs.pk), "abc", "999999"):
        response = client.get(shop_url(shop), {"group": group})
        assert response.status_code == 200
        assert "group" in response.context["form"].errors
        assert titles(response) == ["Sun dress"]


def test_the_shop_page_sorts_filters_by_price_and_paginates(client, shop, make_item):
    for n in range(26):
        make_item(shop, title=f"Dress {n:02}", price=f"{10 + n}.00")
    response = client.get(shop_url(shop), {"sort": "price_desc", "max_price": "30"})
    assert titles(response)[0] == "Dress 20"
    second = client.get(shop_url(shop), {"sort": "price_asc", "page": "2"})
    assert titles(second) == ["Dress 24", "Dress 25"]


def test_an_unknown_shop_is_not_found(client, db):
    assert client.get(reverse("storefront:shop", args=["nobody"])).status_code == 404


def test_an_empty_shop_says_so(client, shop):
    assert 'data-testid="empty-state"' in text(client.get(shop_url(shop)))
