"""Shop rules: one shop per member, unique names, settings with a logo, and shop categories."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emporium.catalog.images import ImageRejected
from emporium.conftest import picture_bytes
from emporium.shops import services as shops
from emporium.shops.models import Shop


def names(shop: Shop) -> list[str]:
    return list(shop.categories.values_list("name", flat=True))


def test_a_member_has_at_most_one_shop(shop, seller):
    with pytest.raises(shops.ShopError) as refused:
        shops.open_shop(seller, name="Second shop")
    assert refused.value.field == "name"


def test_shop_names_are_unique_ignoring_case(shop, buyer):
    with pytest.raises(shops.ShopError):
        shops.open_shop(buyer, name="MEI'S CLOSET")


def test_a_too_long_shop_name_is_refused(buyer):
    with pytest.raises(shops.ShopError) as refused:
        shops.open_shop(buyer, name="x" * 61)
    assert refused.value.field == "name"
    assert not Shop.objects.filter(owner=buyer).exists()


def test_settings_with_a_refused_logo_save_nothing(shop):
    text = SimpleUploadedFile("logo.png", b"not a picture", "image/png")
    with pytest.raises(ImageRejected):
        shops.update_settings(shop, name="Renamed", description="New", logo=text)
    shop.refresh_from_db()
    assert (shop.name, shop.logo_key) == ("Mei's Closet", "")


def test_settings_store_a_logo(shop):
    logo = SimpleUploadedFile("logo.webp", picture_bytes("WEBP"), "image/webp")
    shops.update_settings(shop, name="Mei's Closet", description="", logo=logo)
    shop.refresh_from_db()
    assert shop.logo_key and shop.logo_url().endswith(".webp")


def test_categories_are_added_renamed_moved_and_deleted(shop):
    new = shops.add_shop_category(shop, "New arrivals")
    shops.add_shop_category(shop, "Summer")
    winter = shops.add_shop_category(shop, "Winter")
    shops.move_shop_category(winter, -1)
    assert names(shop) == ["New arrivals", "Winter", "Summer"]
    shops.move_shop_category(new, -1)  # already first: stays
    assert names(shop) == ["New arrivals", "Winter", "Summer"]
    shops.rename_shop_category(winter, "Cosy winter")
    shops.delete_shop_category(new)
    assert names(shop) == ["Cosy winter", "Summer"]
    assert list(shop.categories.values_list("position", flat=True)) == [0, 1]


def test_a_category_name_is_unique_within_the_shop(shop, other_shop):
    summer = shops.add_shop_category(shop, "Summer")
    shops.add_shop_category(other_shop, "Summer")  # another shop may use it
    winter = shops.add_shop_category(shop, "Winter")
    with pytest.raises(shops.ShopError):
        shops.add_shop_category(shop, "summer")
    with pytest.raises(shops.ShopError):
        shops.rename_shop_category(winter, "SUMMER")
    shops.rename_shop_category(summer, "Summer")  # its own name is fine


def test_a_category_name_must_be_given_and_short(shop):
    for bad in ["", "   ", "x" * 41]:
        with pytest.raises(shops.ShopError) as refused:
            shops.add_shop_category(shop, bad)
        assert refused.value.field == "name"
