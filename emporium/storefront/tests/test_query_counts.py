"""The buyer's hot pages cost a fixed number of queries, whatever the item or the results hold.

Exact pins: a new query per SKU, picture, review or result fails here before it reaches a buyer.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emporium.community import reviews
from emporium.conftest import picture_bytes
from emporium.storefront.tests.helpers import add_picture
from emporium.trade import orders

# The item with its shop and category, SKUs, flash sales and discounts (the price), pictures,
# the shop's running activities (4), its rating, the category tree of the header, the last
# reviews with their pictures, the last questions.
ITEM_PAGE = 14
# Count and page of the results, the category tree (the side bar and the form's choices).
SEARCH_PAGE = 4


def reviewed(buyer, address, item, times: int) -> None:
    """`times` orders of the item, each received and reviewed with a picture, and a question."""
    for n in range(times):
        (order,) = orders.checkout(buyer, address, [(item.skus.all()[n], 1)])
        orders.pay(buyer, [order])
        orders.ship(order, "SF Express", f"SF{order.pk}")
        orders.confirm_receipt(order)
        picture = SimpleUploadedFile("r.png", picture_bytes(), "image/png")
        reviews.write_review(buyer, order.lines.get(), 5, "Lovely", pictures=[picture])
        reviews.ask(buyer, item, f"Question {n}?")


def test_the_item_page_costs_the_same_queries_however_much_the_item_has(
    client, shop, make_item, funded_buyer, address, django_assert_num_queries
):
    small = make_item(shop, title="Small dress", options={"Size": ["S", "M"]})
    add_picture(small)
    reviewed(funded_buyer, address, small, 1)
    big = make_item(
        shop,
        title="Big dress",
        options={"Colour": ["Red", "Blue", "Green"], "Size": ["S", "M", "L"]},
    )
    for n in range(4):
        add_picture(big, colour=(40 * n, 10, 10))
    reviewed(funded_buyer, address, big, 3)
    for item in (small, big):
        with django_assert_num_queries(ITEM_PAGE):
            response = client.get(reverse("storefront:item", args=[item.public_id]))
        assert response.status_code == 200


def test_search_costs_the_same_queries_for_two_results_or_a_full_page(
    client, shop, other_shop, make_item, django_assert_num_queries
):
    make_item(shop, title="Summer dress")
    make_item(other_shop, title="Summer skirt")
    with django_assert_num_queries(SEARCH_PAGE):
        response = client.get(reverse("storefront:search"), {"q": "summer"})
    assert len(response.context["page"].object_list) == 2
    for n in range(28):
        add_picture(make_item(shop if n % 2 else other_shop, title=f"Summer dress {n}"))
    with django_assert_num_queries(SEARCH_PAGE):
        response = client.get(reverse("storefront:search"), {"q": "summer"})
    assert len(response.context["page"].object_list) == 24
