"""Creating an item in one step (issue 23, point 8): the options builder's SKU grid with a price
and stock per combination, pictures in the order given, the rich text cleaned by the same rules,
and no sale without a picture — anywhere an item goes on sale."""

import json

import pytest
from django.urls import reverse

from emporium.catalog import services as catalog
from emporium.catalog.models import Item
from emporium.sellercenter.tests.test_item_create import CREATE, picture
from emporium.storefront.tests.helpers import add_picture

GRID = [
    {"options": {"Colour": "Red", "Size": "S"}, "price": "1299.00", "stock": 3},
    {"options": {"Colour": "Red", "Size": "M"}, "price": "1299.00", "stock": 0},
    {"options": {"Colour": "Blue", "Size": "S"}, "price": "1399.50", "stock": 2},
    {"options": {"Colour": "Blue", "Size": "M"}, "price": "1399.50", "stock": 1},
]


@pytest.fixture
def one_step(dresses) -> dict:
    return {
        "title": "Silk qipao",
        "category": dresses.pk,
        "description_html": "<h2>Silk</h2><p>Hand <strong>made</strong><script>x()</script></p>",
        "options": "Colour: Red, Blue\nSize: S, M",
        "sku_grid": json.dumps(GRID),
        "status": "on_sale",
        "pictures": [picture("front.png", (200, 30, 60)), picture("back.png", (30, 60, 200))],
    }


def test_the_grid_gives_each_sku_its_own_price_and_stock(seller_client, one_step):
    assert seller_client.post(CREATE, one_step).status_code == 302
    item = Item.objects.get()
    rows = [(s.label, str(s.price), s.stock) for s in item.skus.all()]
    assert rows == [("Red / S", "1299.00", 3), ("Red / M", "1299.00", 0),
                    ("Blue / S", "1399.50", 2), ("Blue / M", "1399.50", 1)]  # fmt: skip
    assert (item.status, str(item.price), item.stock) == ("on_sale", "1299.00", 6)


def test_pictures_come_in_the_order_given_the_first_is_main(seller_client, one_step):
    seller_client.post(CREATE, one_step)
    images = list(Item.objects.get().images.order_by("position"))
    assert len(images) == 2
    assert images[0].key != images[1].key  # the red front first, the blue back second


def test_the_description_is_cleaned_by_the_same_rules(seller_client, one_step):
    seller_client.post(CREATE, one_step)
    assert Item.objects.get().description_html == "<h2>Silk</h2><p>Hand <strong>made</strong></p>"


def test_on_sale_without_a_picture_is_refused_and_nothing_is_saved(seller_client, one_step):
    response = seller_client.post(CREATE, {**one_step, "pictures": []})
    assert response.context["form"].errors["status"] == [
        "An item cannot go on sale without a picture."
    ]
    assert not Item.objects.exists()


def test_a_stock_room_item_may_wait_for_its_pictures(seller_client, one_step):
    seller_client.post(CREATE, {**one_step, "pictures": [], "status": "stock_room"})
    assert Item.objects.get().status == Item.Status.STOCK_ROOM


@pytest.mark.parametrize(
    "grid",
    [GRID[:3], GRID + [GRID[0]], [{**GRID[0], "options": {"Colour": "Green", "Size": "S"}}, *GRID[1:]],
     [{**GRID[0], "price": "0"}, *GRID[1:]], [{**GRID[0], "price": "1.999"}, *GRID[1:]],
     [{**GRID[0], "price": "lots"}, *GRID[1:]], [{**GRID[0], "stock": -1}, *GRID[1:]],
     [{**GRID[0], "stock": None}, *GRID[1:]], "not json", {"a": 1}],
)  # fmt: skip
def test_a_bad_grid_names_the_grid_and_saves_nothing(seller_client, one_step, grid):
    raw = grid if isinstance(grid, str) else json.dumps(grid)
    response = seller_client.post(CREATE, {**one_step, "sku_grid": raw})
    assert response.status_code == 200
    assert "sku_grid" in response.context["form"].errors
    assert not Item.objects.exists()


def test_a_bad_picture_saves_no_item(seller_client, one_step):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
    response = seller_client.post(CREATE, {**one_step, "pictures": [fake]})
    assert response.status_code == 200 and "pictures" in response.context["form"].errors
    assert not Item.objects.exists()


def test_listing_an_item_without_a_picture_is_refused_everywhere(shop, make_item):
    bare = make_item(shop, title="Bare", status=Item.Status.STOCK_ROOM)
    with pytest.raises(catalog.CatalogError, match="without a picture"):
        catalog.set_status(bare, Item.Status.ON_SALE)
    with pytest.raises(catalog.CatalogError, match="has no picture"):
        catalog.bulk_set_status(shop, [bare.pk], Item.Status.ON_SALE)
    add_picture(bare)
    catalog.set_status(bare, Item.Status.ON_SALE)
    bare.refresh_from_db()
    assert bare.status == Item.Status.ON_SALE


def test_an_item_on_sale_keeps_its_last_picture(shop, make_item):
    dress = make_item(shop)
    only = add_picture(dress)
    with pytest.raises(catalog.CatalogError, match="at least one picture"):
        catalog.remove_image(dress, only.pk)
    assert dress.images.count() == 1


def test_the_page_offers_the_editor_the_builder_the_tree_and_the_drop_zone(seller_client):
    page = seller_client.get(CREATE).content.decode()
    for part in ["rich-editor", "options-builder", "category-tree", "drop-zone", "sku-grid"]:
        assert f'data-testid="{part}"' in page, part
    assert "vendor/quill/quill.js" in page and "vendor/sortablejs/Sortable.min.js" in page
    assert 'enctype="multipart/form-data"' in page
    assert reverse("sellercenter:item_create") in page
