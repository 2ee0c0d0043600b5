"""The dashboard counts the shop's items and points a new seller at the first item."""

from django.urls import reverse

from emporium.catalog.models import Item

DASHBOARD = reverse("sellercenter:dashboard")


def test_a_new_shop_is_invited_to_add_its_first_item(seller_client):
    page = seller_client.get(DASHBOARD).content.decode()
    assert "Add your first item" in page
    assert reverse("sellercenter:item_create") in page


def test_the_dashboard_counts_on_sale_stock_room_and_out_of_stock(seller_client, shop, make_item):
    make_item(shop)
    make_item(shop, stock=0)
    make_item(shop, status=Item.Status.STOCK_ROOM)
    make_item(shop, status=Item.Status.DELETED)
    response = seller_client.get(DASHBOARD)
    assert response.context["counts"] == {
        "total": 3,
        "on_sale": 2,
        "stock_room": 1,
        "out_of_stock": 1,
    }
    assert 'data-testid="count-on-sale">2<' in response.content.decode()
