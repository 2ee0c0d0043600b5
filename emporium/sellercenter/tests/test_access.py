"""Who may enter the seller center, and a seller sees and touches only their own shop's items."""

import pytest
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.shops.models import Shop


def item_urls(item, image_id: int = 1) -> list[tuple[str, str]]:
    """Every page of one item, with the method that changes something there."""
    public_id = item.public_id
    return [
        ("get", reverse("sellercenter:item_edit", args=[public_id])),
        ("post", reverse("sellercenter:item_edit", args=[public_id])),
        ("post", reverse("sellercenter:item_skus", args=[public_id])),
        ("post", reverse("sellercenter:item_options", args=[public_id])),
        ("post", reverse("sellercenter:item_pictures", args=[public_id])),
        ("post", reverse("sellercenter:picture_delete", args=[public_id, image_id])),
        ("post", reverse("sellercenter:picture_main", args=[public_id, image_id])),
        ("post", reverse("sellercenter:item_status", args=[public_id])),
        ("get", reverse("sellercenter:item_delete", args=[public_id])),
        ("post", reverse("sellercenter:item_delete", args=[public_id])),
    ]


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("sellercenter:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("members:login"))
    assert "next=/seller/" in response.url
    for name in TRADING_PAGES:
        assert client.get(reverse(f"sellercenter:{name}")).url.startswith(
            reverse("members:login")
        ), name


# The export streams CSV, so it comes first and is left out of the HTML checks ([1:]).
TRADING_PAGES = [
    "orders_export", "orders", "refunds", "activities", "finance", "settlements", "reviews",
    "questions",
]  # fmt: skip


def test_a_member_without_a_shop_is_sent_to_open_one(buyer_client):
    for name in ["dashboard", "items", "item_create", "settings", *TRADING_PAGES]:
        response = buyer_client.get(reverse(f"sellercenter:{name}"))
        assert response.status_code == 302, name
        assert response.url == reverse("sellercenter:open_shop")


def test_a_member_opens_a_shop_and_lands_on_the_dashboard(buyer_client, buyer):
    page = buyer_client.get(reverse("sellercenter:open_shop"))
    assert page.status_code == 200
    response = buyer_client.post(
        reverse("sellercenter:open_shop"), {"name": "Bob's Books", "description": "Used books"}
    )
    assert response.status_code == 302
    assert response.url == reverse("sellercenter:dashboard")
    assert Shop.objects.get(owner=buyer).name == "Bob's Books"
    assert "add your first item" in buyer_client.get(response.url).content.decode().lower()


def test_opening_a_shop_with_a_taken_name_names_the_field(buyer_client, shop, buyer):
    response = buyer_client.post(reverse("sellercenter:open_shop"), {"name": "mei's closet"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["A shop with this name already exists."]
    assert not Shop.objects.filter(owner=buyer).exists()


def test_opening_a_shop_without_a_name_is_refused(buyer_client, buyer):
    response = buyer_client.post(reverse("sellercenter:open_shop"), {"name": "", "description": ""})
    assert "name" in response.context["form"].errors
    assert not Shop.objects.filter(owner=buyer).exists()


def test_a_seller_cannot_open_a_second_shop(seller_client):
    response = seller_client.get(reverse("sellercenter:open_shop"))
    assert response.url == reverse("sellercenter:dashboard")
    seller_client.post(reverse("sellercenter:open_shop"), {"name": "Second"})
    assert Shop.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["dashboard", "items", "item_create", "settings", "item_edit", *TRADING_PAGES[1:]]
)
def test_every_seller_page_loads_in_a_few_queries(
    seller_client, item, name, django_assert_max_num_queries
):
    args = [item.public_id] if name == "item_edit" else []
    with django_assert_max_num_queries(11):
        response = seller_client.get(reverse(f"sellercenter:{name}", args=args))
    assert response.status_code == 200
    assert b"seller.css" in response.content


def test_a_seller_cannot_edit_another_shops_item(seller_client, other_shop, make_item):
    phone = make_item(other_shop, title="Otto's phone")
    for method, url in item_urls(phone):
        response = getattr(seller_client, method)(url, {"title": "Stolen", "status": "deleted"})
        assert response.status_code == 404, url
    phone.refresh_from_db()
    assert (phone.title, phone.status) == ("Otto's phone", Item.Status.ON_SALE)


def test_a_seller_cannot_tick_another_shops_item_for_a_bulk_action(
    seller_client, item, other_shop, make_item
):
    phone = make_item(other_shop, title="Otto's phone")
    response = seller_client.post(
        reverse("sellercenter:items"),
        {"action": "delist", "items": [str(item.public_id), str(phone.public_id)]},
    )
    assert response.status_code == 200
    assert "items" in response.context["bulk"].errors
    phone.refresh_from_db()
    item.refresh_from_db()
    assert phone.status == item.status == Item.Status.ON_SALE


def test_another_shops_items_do_not_show_in_my_list(seller_client, item, other_shop, make_item):
    make_item(other_shop, title="Otto's phone")
    response = seller_client.get(reverse("sellercenter:items"))
    assert "Otto" not in response.content.decode()
    assert item.title in response.content.decode()


def test_pages_that_change_things_refuse_get(seller_client, item):
    response = seller_client.get(reverse("sellercenter:item_skus", args=[item.public_id]))
    assert response.status_code == 405
