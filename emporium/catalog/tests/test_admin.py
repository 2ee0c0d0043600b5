"""The operator changes items through the catalog functions, so the shop's apps hear of it."""

import pytest
from django.urls import reverse

from emporium.conftest import make_member
from emporium.events.models import Event
from emporium.storefront.tests.helpers import text

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


def change_form_data(item, **changes) -> dict:
    data = {
        "title": item.title,
        "category": item.category_id,
        "description_html": item.description_html,
        "option_names": '["Colour", "Size"]',
        "skus-TOTAL_FORMS": 0,
        "skus-INITIAL_FORMS": 0,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
    }
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
