"""The operator changes items through the catalog functions, so the shop's apps hear of it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.conftest import make_member
from emporium.events.models import Event
from emporium.storefront.tests.helpers import add_picture, text

CHANGELIST = "admin:catalog_item_changelist"


@pytest.fixture
def operator_client(client, db):
    client.force_login(make_member("olga", is_staff=True, is_superuser=True))
    return client


def act(client, action: str, *items):
    data = {"action": action, "_selected_action": [i.pk for i in items]}
    return client.post(reverse(CHANGELIST), data, follow=True)


def item_events(shop) -> list[tuple[str, str]]:
    rows = Event.objects.filter(shop=shop, topic__startswith="item.").order_by("id")
    return [(e.topic, e.data.get("item", {}).get("status", e.data.get("item_id"))) for e in rows]


def change_form_data(item, skus=None, images=None, **changes) -> dict:
    """The item's change form as the admin page posts it; `skus` and `images` change rows."""
    data = {
        "title": item.title,
        "category": item.category_id,
        "description_html": item.description_html,
    }
    for prefix, rows, columns in (
        ("skus", item.skus.all(), ("code", "price", "stock")),
        ("images", item.images.all(), ("position",)),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-item"] = item.pk
            for column in columns:
                data[f"{prefix}-{n}-{column}"] = getattr(row, column)
            data.update(
                {
                    f"{prefix}-{n}-{k}": v
                    for k, v in ((skus or {}) if prefix == "skus" else (images or {}))
                    .get(row.pk, {})
                    .items()
                }
            )
    return {**data, **changes}


def test_deleting_items_in_the_admin_tells_the_apps_of_each_shop(
    operator_client, installation, shop, other_shop, make_item, phones
):
    dress = make_item(shop, title="Summer dress")
    phone = make_item(other_shop, title="Summer phone", category=phones)
    Event.objects.all().delete()
    response = act(operator_client, "mark_deleted", dress, phone)
    assert "2 items changed." in text(response)
    dress.refresh_from_db()
    phone.refresh_from_db()
    assert (dress.status, phone.status) == ("deleted", "deleted")
    assert item_events(shop) == [("item.deleted", str(dress.public_id))]
    assert not Event.objects.filter(shop=other_shop).exists()  # no app listens to Otto's shop


def test_moving_items_to_the_stock_room_in_the_admin_tells_the_app(
    operator_client, installation, shop, item
):
    Event.objects.all().delete()
    act(operator_client, "move_to_stock_room", item)
    item.refresh_from_db()
    assert item.status == "stock_room"
    assert item_events(shop) == [("item.updated", "stock_room")]


def test_editing_an_item_in_the_admin_tells_the_app(operator_client, installation, shop, item):
    Event.objects.all().delete()
    url = reverse("admin:catalog_item_change", args=[item.pk])
    response = operator_client.post(url, change_form_data(item, title="  Linen dress  "))
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.title == "Linen dress"
    [event] = Event.objects.filter(shop=shop, topic="item.updated")
    assert event.data["item"]["title"] == "Linen dress"


def test_the_admin_refuses_what_the_seller_center_refuses(operator_client, item):
    url = reverse("admin:catalog_item_change", args=[item.pk])
    women = item.category.parent
    response = operator_client.post(url, change_form_data(item, category=women.pk))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["category"] == ["Choose a category that has no sub-categories."]
    item.refresh_from_db()
    assert item.category.slug == "dresses"


def test_the_change_form_shows_the_status_and_shop_but_does_not_edit_them(operator_client, item):
    page = text(operator_client.get(reverse("admin:catalog_item_change", args=[item.pk])))
    assert 'name="status"' not in page
    assert 'name="shop"' not in page


def test_changing_a_sku_in_the_item_form_goes_through_update_skus(
    operator_client, installation, shop, item
):
    red_s, *_ = item.skus.all()
    Event.objects.all().delete()
    url = reverse("admin:catalog_item_change", args=[item.pk])
    data = change_form_data(item, skus={red_s.pk: {"price": "150.00", "stock": 4}})
    response = operator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.price, item.stock) == (Decimal("150.00"), 34)  # the item's totals follow
    assert [e.topic for e in Event.objects.filter(shop=shop).order_by("id")] == [
        "item.updated",
        "item.stock_changed",
    ]
    stock = Event.objects.get(topic="item.stock_changed").data
    assert (stock["sku_id"], stock["previous_stock"], stock["stock"]) == (red_s.pk, 10, 4)


def test_taking_a_picture_down_and_reordering_in_the_item_form_tell_the_app(
    operator_client, installation, shop, item
):
    first, second, third = (add_picture(item, colour=(n * 60, 0, 0)) for n in range(3))
    Event.objects.all().delete()
    url = reverse("admin:catalog_item_change", args=[item.pk])
    data = change_form_data(
        item,
        images={first.pk: {"DELETE": "on"}, third.pk: {"position": 0}, second.pk: {"position": 1}},
    )
    response = operator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [i.pk for i in item.images.order_by("position")] == [third.pk, second.pk]
    assert set(Event.objects.filter(shop=shop).values_list("topic", flat=True)) == {"item.updated"}


def test_the_sku_admin_changes_a_sku_through_update_skus(operator_client, installation, shop, item):
    sku = item.skus.first()
    Event.objects.all().delete()
    url = reverse("admin:catalog_sku_change", args=[sku.pk])
    response = operator_client.post(url, {"code": "R-S", "price": "99.00", "stock": 0})
    assert response.status_code == 302, response.context["adminform"].form.errors
    sku.refresh_from_db()
    assert (sku.code, sku.price, sku.stock) == ("R-S", Decimal("99.00"), 0)
    item.refresh_from_db()
    assert (item.price, item.stock) == (Decimal("99.00"), 30)
    topics = list(Event.objects.filter(shop=shop).values_list("topic", flat=True))
    assert sorted(topics) == ["item.stock_changed", "item.updated"]


def test_variants_are_neither_added_nor_deleted_in_the_admin(operator_client, item):
    sku = item.skus.first()
    assert operator_client.get(reverse("admin:catalog_sku_add")).status_code == 403
    assert (
        operator_client.get(reverse("admin:catalog_sku_delete", args=[sku.pk])).status_code == 403
    )


def test_deleting_a_picture_in_the_picture_admin_goes_through_remove_image(
    operator_client, installation, shop, item
):
    first, second = add_picture(item), add_picture(item, colour=(0, 90, 0))
    Event.objects.all().delete()
    url = reverse("admin:catalog_itemimage_delete", args=[first.pk])
    assert operator_client.post(url, {"post": "yes"}).status_code == 302
    assert [(i.pk, i.position) for i in item.images.all()] == [(second.pk, 0)]
    assert list(Event.objects.filter(shop=shop).values_list("topic", flat=True)) == ["item.updated"]
