"""GET /api/v1/items costs a fixed number of queries, however many items a page holds."""

import pytest

from emporium.api.tests.conftest import Api

# The token (with its app, member, shop and suspension in one query), the page of items with their
# category, their SKUs, their pictures. The rate-limit bucket costs none: the first call leased
# this worker a second's tokens (api/ratelimit.py).
ITEMS_PAGE = 4


@pytest.mark.parametrize("limit", [2, 20])
def test_a_page_of_items_costs_a_fixed_number_of_queries(
    seller_api: Api, shop, make_item, django_assert_num_queries, limit
):
    for n in range(20):
        make_item(shop, title=f"Dress {n}", options={"Size": ["S", "M"]})
    seller_api.get("/shop")  # the first call of an (app, shop) creates its bucket and leases
    with django_assert_num_queries(ITEMS_PAGE):
        response = seller_api.get("/items", {"limit": limit})
    assert len(response.json()["data"]) == limit


def test_an_empty_page_asks_for_no_skus_or_pictures(seller_api: Api, django_assert_num_queries):
    seller_api.get("/shop")
    with django_assert_num_queries(ITEMS_PAGE - 2):  # the token and the (empty) page of items
        response = seller_api.get("/items")
    assert response.json() == {"data": [], "next_cursor": None}
