"""The benchmark's bare item list: the API's page without the gateway, and only when switched on."""

import pytest
from django.test import Client

from emporium.api import bare
from emporium.catalog.models import Item


@pytest.fixture
def bare_on(settings):
    # The platform's own URL map must be imported with the setting off, as in production;
    # bare_urls adds the bare route on top of it.
    import emporium.urls  # noqa: F401

    settings.BENCH_BARE_ENDPOINTS = True
    settings.ROOT_URLCONF = "emporium.api.tests.bare_urls"


def test_it_serves_the_same_page_as_the_api_without_a_token(
    bare_on, seller_api, shop, other_shop, make_item
):
    for n in range(55):
        make_item(shop, title=f"Dress {n}")
    make_item(shop, title="Gone", status=Item.Status.DELETED)
    make_item(other_shop, title="Otto's phone")
    from_api = seller_api.get("/items").json()
    from_bare = Client().get("/bench/bare/items", {"shop": str(shop.public_id)})
    assert from_bare.status_code == 200, from_bare.content
    assert from_bare.json() == from_api
    assert len(from_api["data"]) == 50
    assert from_api["next_cursor"]


def test_it_answers_404_for_an_unknown_shop(bare_on, shop):
    response = Client().get("/bench/bare/items", {"shop": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 404


def test_it_is_not_routed_when_the_setting_is_off(settings, shop, item):
    assert settings.BENCH_BARE_ENDPOINTS is False
    assert bare.routes() == []
    response = Client().get("/bench/bare/items", {"shop": str(shop.public_id)})
    assert response.status_code == 404
    assert item.title not in response.content.decode()
