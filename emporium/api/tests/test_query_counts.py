"""GET /api/v1/items costs a fixed number of queries, however many items a page holds."""

import pytest

from emporium.api.tests.conftest import Api

# The token, the rate-limit bucket read and written (in a savepoint and its release), the
# page of items with their category, their SKUs, their pictures.
ITEMS_PAGE = 8


@pytest.mark.parametrize("limit", [2, 20])
def test_a_page_of_items_costs_a_fixed_number_of_queries(
    seller_api: Api, shop, make_item, django_assert_num_queries, limit
):
    for n in range(20):
        make_item(shop, title=f"Dress {n}", options={"Size": ["S", "M"]})
    seller_api.get("/shop")  # the first call of an (app, shop) creates its rate-limit bucket
    with django_assert_num_queries(ITEMS_PAGE):
        response = seller_api.get("/items", {"limit": limit})
    assert len(response.json()["data"]) == limit
