"""The dashboard: item counts, orders to ship, open refunds, and a first step for a new seller."""

from decimal import Decimal

from django.urls import reverse

from emporium.catalog.models import Item
from emporium.trade import orders, refunds

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


def test_the_dashboard_counts_orders_to_ship_and_open_refunds(
    seller_client, item, buy, funded_buyer, django_assert_max_num_queries
):
    red_s, red_m, blue_s, _blue_m = item.skus.all()
    buy((red_s, 1), pay=False)  # not paid: nothing to ship yet
    buy((red_m, 1))
    asked = buy((blue_s, 1))
    refunds.request_refund(asked, funded_buyer, Decimal("1.00"), "Wrong colour")
    shipped = buy((red_s, 1))
    orders.ship(shipped, "EMS", "E1")
    refunds.refuse(refunds.request_refund(shipped, funded_buyer, Decimal("1.00"), "Late"), "No")
    # Today's figures (issue 23) added visitors, refunds and the balance: 3 queries more.
    with django_assert_max_num_queries(10):
        response = seller_client.get(DASHBOARD)
    today = response.context["today"]
    assert (today.to_ship, today.open_refunds, today.refunds_to_answer) == (2, 2, 1)
    page = response.content.decode()
    assert 'data-testid="count-to-ship">2<' in page
    assert 'data-testid="count-open-refunds">2<' in page
    assert f"{reverse('sellercenter:orders')}?status=paid" in page


def test_the_navigation_reaches_every_part_of_the_seller_center(seller_client, shop):
    page = seller_client.get(DASHBOARD).content.decode()
    for name in ["orders", "refunds", "activities", "finance", "reviews", "questions"]:
        assert f'href="{reverse(f"sellercenter:{name}")}"' in page, name
