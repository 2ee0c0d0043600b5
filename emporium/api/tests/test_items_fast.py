"""GET /items renders plain dicts without ninja's validation: the bytes must be the schema's.

The list builds what Page[ItemOut] would dump to (resources.items.item_dicts) and renders it
itself; these tests build the same page the slow, checked way — item_out() objects, validated
by the response schema, dumped and rendered by ninja's renderer — and demand the same bytes.
"""

from decimal import Decimal

import pytest
from ninja.renderers import JSONRenderer

from emporium.api.tests.conftest import Api
from emporium.catalog.models import Item, ItemImage
from emporium.lib.money import CURRENCY
from emporium.resources.common import Page
from emporium.resources.items import ItemOut, item_out


def checked_page(items: list[Item], cursor: str | None) -> bytes:
    """The page as ninja renders a validated Page[ItemOut]."""
    page = Page[ItemOut].model_validate(
        {"data": [item_out(i) for i in items], "next_cursor": cursor}
    )
    return JSONRenderer().render(None, page.model_dump(), response_status=200).encode()


def by_listing_order(shop, statuses=(Item.Status.ON_SALE, Item.Status.STOCK_ROOM)) -> list[Item]:
    return list(
        Item.objects.filter(shop=shop, status__in=statuses)
        .select_related("category")
        .prefetch_related("skus", "images")
        .order_by("updated_at", "pk")
    )


@pytest.fixture
def varied_items(shop, make_item):
    """Items that exercise every shape: options and none, odd cents, zero stock, pictures with
    and without an original, a stock-room item and a deleted one (not listed by default)."""
    made = [
        make_item(shop, title="Red dress", options={"Colour": ["Red", "Blue"], "Size": ["S"]}),
        make_item(shop, title="Scarf 丝巾", price="0.05", stock=0),
        make_item(shop, title="Coat", price="1234567.10", description_html="<p>warm &amp; dry</p>"),
        make_item(shop, title="Hat", status=Item.Status.STOCK_ROOM, stock=0),
        make_item(shop, title="Old", status=Item.Status.DELETED, stock=0),
    ]
    ItemImage.objects.create(item=made[0], key="ab" * 32, width=800, height=600, position=1)
    ItemImage.objects.create(
        item=made[0], key="cd" * 32, width=1600, height=1200, position=0,
        original_sha256="ef" * 32, original_format="png", original_bytes=123456,
    )  # fmt: skip
    ItemImage.objects.create(item=made[2], key="", width=10, height=10)
    made[1].skus.update(price=Decimal("0.05"))
    return made


def test_a_page_is_byte_for_byte_what_the_schema_renders(seller_api: Api, shop, varied_items):
    response = seller_api.get("/items")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == checked_page(by_listing_order(shop), None)
    body = response.json()
    assert [i["title"] for i in body["data"]] == ["Red dress", "Scarf 丝巾", "Coat", "Hat"]
    first = body["data"][0]
    assert first["price"] == {"amount": "199.00", "currency": CURRENCY}
    assert [sku["price"]["amount"] for sku in first["skus"]] == ["199.00", "200.00"]
    assert [image["position"] for image in first["images"]] == [0, 1]
    assert first["images"][0]["original"]["size_bytes"] == 123456
    assert first["images"][1]["original"] is None
    assert first["updated_at"].endswith("Z")
    assert body["data"][1]["skus"][0]["price"]["amount"] == "0.05"


def test_every_page_and_its_cursor_match_the_schema(seller_api: Api, shop, varied_items):
    items, seen, cursor = by_listing_order(shop), 0, None
    while True:
        response = seller_api.get("/items", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        cursor = response.json()["next_cursor"]
        assert response.content == checked_page(items[seen : seen + 2], cursor)
        seen += 2
        if cursor is None:
            break
    assert seen == 4


def test_filters_still_match_the_schema(seller_api: Api, shop, varied_items):
    response = seller_api.get("/items", {"status": "deleted"})
    assert response.content == checked_page(by_listing_order(shop, ["deleted"]), None)
    assert [i["title"] for i in response.json()["data"]] == ["Old"]


def test_an_empty_shop_lists_an_empty_page(seller_api: Api):
    response = seller_api.get("/items")
    assert response.content == b'{"data": [], "next_cursor": null}'


def test_a_bad_cursor_is_still_refused(seller_api: Api, varied_items):
    response = seller_api.get("/items", {"cursor": "bm9wZQ"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_skus_and_pictures_come_in_position_order_not_id_order(seller_api: Api, shop, item):
    """The list reads SKUs and pictures with SQL of its own (resources.items._children_sql):
    it must keep the models' order (position, then id), each under its own item."""
    skus = list(item.skus.order_by("id"))
    for position, sku in zip([2, 0, 1, 0], skus, strict=True):
        sku.position = position
        sku.save(update_fields=["position"])
    for position, key in [(1, "aa"), (0, "bb"), (1, "cc")]:
        ItemImage.objects.create(item=item, key=key * 32, width=8, height=8, position=position)
    response = seller_api.get("/items")
    assert response.content == checked_page(by_listing_order(shop), None)
    listed = response.json()["data"][0]
    assert [sku["id"] for sku in listed["skus"]] == [skus[1].pk, skus[3].pk, skus[2].pk, skus[0].pk]
    assert [image["key"][:2] for image in listed["images"]] == ["bb", "aa", "cc"]
