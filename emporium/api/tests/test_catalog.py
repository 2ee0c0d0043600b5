"""The public catalog for app-level (client-credentials) tokens."""

import pytest

from emporium.api.tests.conftest import Api
from emporium.catalog.models import Item


@pytest.fixture
def catalog_api(make_token) -> Api:
    return Api(make_token(None, "catalog:read"))


def test_it_lists_items_on_sale_in_every_shop(catalog_api, shop, other_shop, make_item, phones):
    make_item(shop, title="Dress")
    make_item(other_shop, title="Phone", category=phones)
    make_item(shop, title="Hidden", status=Item.Status.STOCK_ROOM)
    rows = catalog_api.get("/catalog/items").json()["data"]
    assert sorted(row["title"] for row in rows) == ["Dress", "Phone"]
    dress = next(row for row in rows if row["title"] == "Dress")
    assert dress["shop"]["name"] == "Mei's Closet"
    assert set(dress["skus"][0]) == {
        "id",
        "options",
        "price",
        "in_stock",
    }  # no stock count, no seller code


def test_it_filters_by_category_including_sub_categories(catalog_api, shop, make_item, phones):
    make_item(shop, title="Dress")
    make_item(shop, title="Phone", category=phones)
    assert [
        r["title"] for r in catalog_api.get("/catalog/items", {"category": "phones"}).json()["data"]
    ] == ["Phone"]
    assert [
        r["title"] for r in catalog_api.get("/catalog/items", {"category": "women"}).json()["data"]
    ] == ["Dress"]
