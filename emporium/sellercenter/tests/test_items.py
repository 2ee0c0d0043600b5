"""The item list: filters, title search, pagination, and bulk actions that are all or nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.storefront.tests.helpers import add_picture

ITEMS = reverse("sellercenter:items")


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def ids(*items) -> list[str]:
    return [str(item.public_id) for item in items]


def prices(item) -> list[Decimal]:
    return list(item.skus.values_list("price", flat=True))


@pytest.fixture
def three(shop, make_item):
    """A dress on sale, a coat in the stock-room, a deleted scarf."""
    return (
        make_item(shop, title="Linen dress"),
        make_item(shop, title="Wool coat", status=Item.Status.STOCK_ROOM),
        make_item(shop, title="Silk scarf", status=Item.Status.DELETED),
    )


def test_deleted_items_are_hidden_by_default(seller_client, three):
    assert titles(seller_client.get(ITEMS)) == ["Wool coat", "Linen dress"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("on_sale", ["Linen dress"]),
        ("stock_room", ["Wool coat"]),
        ("deleted", ["Silk scarf"]),
        ("nonsense", ["Wool coat", "Linen dress"]),
    ],
)
def test_the_list_filters_by_status(seller_client, three, status, expected):
    assert titles(seller_client.get(ITEMS, {"status": status})) == expected


def test_the_list_shows_items_out_of_stock(seller_client, shop, make_item, three):
    make_item(shop, title="Sold-out blouse", stock=0)
    assert titles(seller_client.get(ITEMS, {"status": "out_of_stock"})) == ["Sold-out blouse"]


def test_the_list_searches_titles(seller_client, three):
    assert titles(seller_client.get(ITEMS, {"q": "WOOL"})) == ["Wool coat"]
    assert titles(seller_client.get(ITEMS, {"q": "nothing like it"})) == []


def test_the_list_pages_by_fifty(seller_client, shop, make_item, django_assert_max_num_queries):
    for n in range(51):
        make_item(shop, title=f"Dress {n:02}")
    with django_assert_max_num_queries(12):
        first = seller_client.get(ITEMS)
    assert len(titles(first)) == 50
    assert "?page=2" in first.content.decode()
    assert titles(seller_client.get(ITEMS, {"page": 2})) == ["Dress 00"]
    assert len(titles(seller_client.get(ITEMS, {"page": "banana"}))) == 50


def test_an_empty_shop_invites_the_first_item(seller_client, shop):
    assert "Add your first item" in seller_client.get(ITEMS).content.decode()


def test_bulk_delist_and_list(seller_client, three):
    dress, coat, _scarf = three
    add_picture(dress)  # no sale without a picture (issue 23)
    add_picture(coat)
    seller_client.post(ITEMS, {"action": "delist", "items": ids(dress)})
    dress.refresh_from_db()
    assert dress.status == Item.Status.STOCK_ROOM
    seller_client.post(ITEMS, {"action": "list", "items": ids(dress, coat)})
    assert set(Item.objects.filter(status="on_sale").values_list("title", flat=True)) == {
        "Linen dress",
        "Wool coat",
    }


def test_bulk_delete_asks_first(seller_client, three):
    dress, coat, _scarf = three
    confirm = seller_client.post(ITEMS, {"action": "delete", "items": ids(dress, coat)})
    assert confirm.status_code == 200
    assert "Delete 2 items?" in confirm.content.decode()
    assert Item.objects.filter(status="deleted").count() == 1
    done = seller_client.post(
        ITEMS, {"action": "delete", "items": ids(dress, coat), "confirm": "yes"}
    )
    assert done.status_code == 302
    assert Item.objects.filter(status="deleted").count() == 3


def test_bulk_listing_without_stock_changes_nothing(seller_client, shop, make_item, three):
    _dress, coat, _scarf = three
    empty = make_item(shop, title="Empty", stock=0, status=Item.Status.STOCK_ROOM)
    response = seller_client.post(ITEMS, {"action": "list", "items": ids(coat, empty)})
    assert response.status_code == 200
    assert "Empty has no stock" in response.context["bulk"].errors["items"][0]
    coat.refresh_from_db()
    assert coat.status == Item.Status.STOCK_ROOM


def test_bulk_set_price_and_stock_on_every_sku(seller_client, item, shop, make_item):
    other = make_item(shop, title="Other")
    seller_client.post(ITEMS, {"action": "price", "price": "88.80", "items": ids(item, other)})
    assert prices(item) == [Decimal("88.80")] * 4
    assert prices(other) == [Decimal("88.80")]
    seller_client.post(ITEMS, {"action": "stock", "stock": "3", "items": ids(item)})
    item.refresh_from_db()
    assert item.stock == 12


def test_bulk_price_change_by_percent(seller_client, item):
    response = seller_client.post(
        ITEMS, {"action": "percent", "percent": "-10", "items": ids(item)}
    )
    assert response.status_code == 302
    assert prices(item) == [
        Decimal("179.10"),
        Decimal("180.00"),
        Decimal("180.90"),
        Decimal("181.80"),
    ]


def test_bulk_price_change_is_all_or_nothing(seller_client, shop, make_item):
    cheap = make_item(shop, title="Cheap socks", price="0.01")
    dear = make_item(shop, title="Dear coat", price="100.00")
    response = seller_client.post(
        ITEMS, {"action": "percent", "percent": "-90", "items": ids(dear, cheap)}
    )
    assert response.status_code == 200
    message = response.context["bulk"].errors["percent"][0]
    assert "Cheap socks" in message and "between 0.01 and 9999999.99" in message
    assert prices(dear) == [Decimal("100.00")]
    assert prices(cheap) == [Decimal("0.01")]


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("price", "price", ""),
        ("price", "price", "0"),
        ("price", "price", "1.234"),
        ("price", "price", "99999999"),
        ("percent", "percent", "-100"),
        ("percent", "percent", "abc"),
        ("stock", "stock", "-1"),
        ("stock", "stock", "1000000"),
    ],
)
def test_bulk_values_out_of_range_name_the_field(seller_client, item, action, field, value):
    response = seller_client.post(ITEMS, {"action": action, field: value, "items": ids(item)})
    assert response.status_code == 200
    assert field in response.context["bulk"].errors
    assert prices(item)[0] == Decimal("199.00")


def test_a_bulk_action_needs_ticked_items(seller_client, item):
    response = seller_client.post(ITEMS, {"action": "delist"})
    assert response.context["bulk"].errors["items"] == ["Tick at least one item."]


def test_an_unknown_bulk_action_is_refused(seller_client, item):
    response = seller_client.post(ITEMS, {"action": "explode", "items": ids(item)})
    assert "action" in response.context["bulk"].errors


def test_ticked_items_stay_ticked_when_the_form_comes_back(seller_client, item):
    response = seller_client.post(ITEMS, {"action": "price", "price": "", "items": ids(item)})
    assert (
        f'value="{item.public_id}" aria-label="{item.title}" checked' in response.content.decode()
    )
