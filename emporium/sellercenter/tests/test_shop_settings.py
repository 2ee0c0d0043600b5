"""Shop settings: name, description, logo, and the shop's own categories."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emporium.conftest import picture_bytes
from emporium.shops import services as shops

SETTINGS = reverse("sellercenter:settings")


def names(shop) -> list[str]:
    return list(shop.categories.values_list("name", flat=True))


def test_a_seller_renames_the_shop_and_uploads_a_logo(seller_client, shop):
    logo = SimpleUploadedFile("logo.png", picture_bytes(), "image/png")
    response = seller_client.post(
        SETTINGS, {"name": "Mei's Wardrobe", "description": "Coats", "logo": logo}
    )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.description) == ("Mei's Wardrobe", "Coats")
    assert shop.logo_key
    assert shop.logo_url() in seller_client.get(SETTINGS).content.decode()


def test_a_logo_that_is_not_a_picture_is_refused_and_nothing_is_saved(seller_client, shop):
    logo = SimpleUploadedFile("logo.png", b"<html>not a logo</html>", "image/png")
    response = seller_client.post(SETTINGS, {"name": "Renamed", "description": "", "logo": logo})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [
        "The file is not a picture, or it is damaged."
    ]
    shop.refresh_from_db()
    assert (shop.name, shop.logo_key) == ("Mei's Closet", "")


def test_a_taken_shop_name_is_refused(seller_client, shop, other_shop):
    response = seller_client.post(SETTINGS, {"name": "Otto's Gadgets", "description": ""})
    assert "already exists" in response.context["form"].errors["name"][0]


def test_a_too_long_description_is_refused(seller_client, shop):
    response = seller_client.post(SETTINGS, {"name": shop.name, "description": "x" * 2001})
    assert "description" in response.context["form"].errors


def test_a_seller_adds_renames_reorders_and_deletes_categories(seller_client, shop):
    for name in ["New arrivals", "Summer"]:
        seller_client.post(reverse("sellercenter:category_add"), {"name": name})
    summer = shop.categories.get(name="Summer")
    seller_client.post(reverse("sellercenter:category_move", args=[summer.pk]), {"direction": "up"})
    assert names(shop) == ["Summer", "New arrivals"]

    seller_client.post(
        reverse("sellercenter:category_rename", args=[summer.pk]),
        {f"rename-{summer.pk}-name": "Hot summer"},
    )
    assert names(shop) == ["Hot summer", "New arrivals"]

    confirm = seller_client.get(reverse("sellercenter:category_delete", args=[summer.pk]))
    assert confirm.status_code == 200
    assert "Hot summer" in confirm.content.decode()
    assert names(shop) == ["Hot summer", "New arrivals"]  # asking is not deleting
    seller_client.post(reverse("sellercenter:category_delete", args=[summer.pk]))
    assert names(shop) == ["New arrivals"]


def test_deleting_a_category_keeps_its_items(seller_client, shop, make_item):
    summer = shops.add_shop_category(shop, "Summer")
    dress = make_item(shop, shop_categories=[summer])
    seller_client.post(reverse("sellercenter:category_delete", args=[summer.pk]))
    dress.refresh_from_db()
    assert dress.shop_categories.count() == 0


def test_a_duplicate_category_name_is_shown_on_the_form(seller_client, shop):
    shops.add_shop_category(shop, "Summer")
    response = seller_client.post(reverse("sellercenter:category_add"), {"name": "SUMMER"})
    assert response.status_code == 200
    assert response.context["category_form"].errors["name"] == [
        "Your shop already has this category."
    ]


def test_a_rename_to_an_empty_name_is_refused_on_that_row(seller_client, shop):
    summer = shops.add_shop_category(shop, "Summer")
    response = seller_client.post(
        reverse("sellercenter:category_rename", args=[summer.pk]), {f"rename-{summer.pk}-name": ""}
    )
    assert response.status_code == 200
    (row,) = response.context["categories"]
    assert "name" in row.rename_form.errors
    assert names(shop) == ["Summer"]


def test_a_seller_cannot_touch_another_shops_category(seller_client, other_shop):
    gadgets = shops.add_shop_category(other_shop, "Gadgets")
    for name, data in [
        ("category_rename", {f"rename-{gadgets.pk}-name": "Mine"}),
        ("category_delete", {}),
        ("category_move", {"direction": "up"}),
    ]:
        response = seller_client.post(reverse(f"sellercenter:{name}", args=[gadgets.pk]), data)
        assert response.status_code == 404
    assert names(other_shop) == ["Gadgets"]
