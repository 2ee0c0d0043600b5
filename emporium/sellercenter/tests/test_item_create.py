"""Creating an item: fields, a SKU matrix from option lines, and bad input that saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from emporium.catalog.models import Category, Item, Sku
from emporium.conftest import picture_bytes
from emporium.shops import services as shops

CREATE = reverse("sellercenter:item_create")


def picture(name: str = "front.png", colour=(200, 30, 60)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes(colour=colour), content_type="image/png")


@pytest.fixture
def form(dresses) -> dict:
    """Everything the page sends, a picture included (an item goes on sale only with one)."""
    return {
        "pictures": [picture()],
        "title": "Linen summer dress",
        "category": dresses.pk,
        "description_html": "<p>Light <b>linen</b></p>",
        "options": "Colour: Red, Blue\nSize: S, M, L",
        "price": "129.90",
        "stock": "5",
        "status": "on_sale",
    }


def test_a_seller_creates_an_item_with_a_sku_matrix(seller_client, shop, form):
    response = seller_client.post(CREATE, form)
    item = Item.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sellercenter:item_edit", args=[item.public_id])
    assert (item.shop, item.title, item.status) == (shop, "Linen summer dress", "on_sale")
    assert item.option_names == ["Colour", "Size"]
    assert [s.label for s in item.skus.all()] == [
        "Red / S", "Red / M", "Red / L", "Blue / S", "Blue / M", "Blue / L",
    ]  # fmt: skip
    assert {(s.price, s.stock) for s in item.skus.all()} == {(item.price, 5)}
    assert item.stock == 30


def test_an_item_without_options_has_one_sku(seller_client, form):
    seller_client.post(CREATE, {**form, "options": "", "status": "stock_room"})
    item = Item.objects.get()
    assert item.status == Item.Status.STOCK_ROOM
    assert list(item.skus.values_list("options", flat=True)) == [{}]


def test_the_category_tree_offers_leaves_under_their_parent(seller_client, dresses):
    page = seller_client.get(CREATE).content.decode()
    assert "<summary>Women&#x27;s clothing</summary>" in page
    assert f'value="{dresses.pk}" data-path="Women&#x27;s clothing › Dresses"' in page
    women = Category.objects.get(slug="women")
    assert f'value="{women.pk}"' not in page


def test_a_parent_category_is_refused(seller_client, form):
    women = Category.objects.get(slug="women")
    response = seller_client.post(CREATE, {**form, "category": women.pk})
    assert "category" in response.context["form"].errors
    assert not Item.objects.exists()


def test_the_description_is_sanitized(seller_client, form):
    html = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x()">x</a></p>'
    seller_client.post(CREATE, {**form, "description_html": html})
    description = Item.objects.get().description_html
    assert "script" not in description
    assert "onclick" not in description
    assert "javascript" not in description
    assert "Hi" in description


def test_an_invalid_option_spec_creates_no_item(seller_client, form):
    response = seller_client.post(CREATE, {**form, "options": "Colour Red Blue"})
    assert response.status_code == 200
    assert (
        'write an option as "Name: value, value"' in response.context["form"].errors["options"][0]
    )
    assert not Item.objects.exists()
    assert not Sku.objects.exists()


def test_too_many_sku_combinations_are_refused(seller_client, form):
    many = (
        "A: "
        + ", ".join(f"a{n}" for n in range(15))
        + "\nB: "
        + ", ".join(f"b{n}" for n in range(15))
    )
    response = seller_client.post(CREATE, {**form, "options": many})
    assert "At most 200 SKUs" in response.context["form"].errors["options"][0]
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "0"),
        ("price", "-5"),
        ("price", "10000000"),
        ("price", "1.999"),
        ("price", "abc"),
        ("price", "NaN"),
        ("price", "1e400"),
        ("price", ""),
        ("stock", "-1"),
        ("stock", "1000000"),
        ("stock", "2.5"),
        ("stock", "lots"),
        ("title", ""),
        ("title", "x" * 121),
        ("category", "999999"),
        ("category", "dresses"),
        ("status", "deleted"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(seller_client, form, field, value):
    response = seller_client.post(CREATE, {**form, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    for message in errors[field]:  # shown on the page, beside the field
        assert escape(message) in response.content.decode()
    assert not Item.objects.exists()


def test_an_item_without_stock_cannot_go_on_sale_at_once(seller_client, form):
    response = seller_client.post(CREATE, {**form, "stock": "0", "status": "on_sale"})
    assert response.context["form"].errors["status"] == [
        "An item with no stock cannot be put on sale."
    ]
    assert not Item.objects.exists()


def test_only_the_sellers_own_shop_categories_can_be_chosen(seller_client, shop, other_shop, form):
    summer = shops.add_shop_category(shop, "Summer")
    gadgets = shops.add_shop_category(other_shop, "Gadgets")
    response = seller_client.post(CREATE, {**form, "shop_categories": [summer.pk, gadgets.pk]})
    assert "shop_categories" in response.context["form"].errors
    assert not Item.objects.exists()
    seller_client.post(CREATE, {**form, "pictures": [picture()], "shop_categories": [summer.pk]})
    assert list(Item.objects.get().shop_categories.all()) == [summer]
