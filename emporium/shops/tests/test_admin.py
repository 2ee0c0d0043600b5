"""The operator changes shops through the shop functions, so the shop's apps hear of it."""

import json

import pytest
from django.urls import reverse

from emporium.conftest import make_member
from emporium.events import dispatcher
from emporium.events.models import Event
from emporium.shops.models import Shop
from emporium.storefront.tests.helpers import text

CHANGELIST = "admin:shops_shop_changelist"


@pytest.fixture
def operator_client(client, db):
    client.force_login(make_member("olga", is_staff=True, is_superuser=True))
    return client


def act(client, action: str, *shops: Shop):
    data = {"action": action, "_selected_action": [s.pk for s in shops]}
    return client.post(reverse(CHANGELIST), data, follow=True)


def shop_events(shop: Shop) -> list[tuple[str, str]]:
    rows = Event.objects.filter(shop=shop, topic="shop.updated").order_by("id")
    return [(e.topic, e.data["shop"]["status"]) for e in rows]


@pytest.mark.django_db(transaction=True)
def test_closing_a_shop_in_the_admin_reaches_its_installed_app(
    operator_client, endpoint, shop, receiver, make_item
):
    dress = make_item(shop, title="Summer dress")
    dispatcher.run_once()
    receiver.received.clear()
    response = act(operator_client, "close_shops", shop)
    assert "1 shop changed." in text(response)
    shop.refresh_from_db()
    assert shop.status == "closed"
    dispatcher.run_once()
    [got] = [json.loads(r.body) for r in receiver.received]
    assert got["type"] == "shop.updated"
    assert got["data"]["shop"]["id"] == str(shop.public_id)
    assert got["data"]["shop"]["status"] == "closed"
    # ... and the shop's items are gone from the storefront.
    assert (
        operator_client.get(reverse("storefront:item", args=[dress.public_id])).status_code == 404
    )


def test_suspending_and_reopening_tell_the_app_each_time(operator_client, installation, shop):
    act(operator_client, "suspend_shops", shop)
    act(operator_client, "suspend_shops", shop)  # already suspended: nothing to tell
    response = act(operator_client, "reopen_shops", shop)
    assert "1 shop changed." in text(response)
    assert shop_events(shop) == [("shop.updated", "suspended"), ("shop.updated", "open")]


def test_one_action_changes_several_shops(operator_client, installation, shop, other_shop):
    response = act(operator_client, "close_shops", shop, other_shop)
    assert "2 shops changed." in text(response)
    assert set(Shop.objects.values_list("status", flat=True)) == {"closed"}


def test_the_change_form_shows_the_status_but_does_not_edit_it(operator_client, shop):
    url = reverse("admin:shops_shop_change", args=[shop.pk])
    page = operator_client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in text(page)


def test_editing_a_shop_in_the_admin_reaches_its_app(operator_client, installation, shop):
    url = reverse("admin:shops_shop_change", args=[shop.pk])
    data = {
        "owner": shop.owner_id,
        "name": "Mei's Atelier",
        "slug": shop.slug,
        "description": "Dresses",
        "categories-TOTAL_FORMS": 0,
        "categories-INITIAL_FORMS": 0,
    }
    response = operator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = Event.objects.filter(shop=shop, topic="shop.updated")
    assert event.data["shop"]["name"] == "Mei's Atelier"


def test_the_admin_refuses_a_name_another_shop_has_in_other_letters(
    operator_client, shop, other_shop
):
    url = reverse("admin:shops_shop_change", args=[shop.pk])
    data = {
        "owner": shop.owner_id,
        "name": "OTTO'S GADGETS",
        "slug": shop.slug,
        "description": "",
        "categories-TOTAL_FORMS": 0,
        "categories-INITIAL_FORMS": 0,
    }
    response = operator_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["name"] == ["A shop with this name already exists."]
    shop.refresh_from_db()
    assert shop.name == "Mei's Closet"


def test_shops_are_opened_by_members_not_in_the_admin(operator_client, db):
    assert operator_client.get(reverse("admin:shops_shop_add")).status_code == 403
