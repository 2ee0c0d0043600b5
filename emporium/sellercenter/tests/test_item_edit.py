"""Editing an item: its fields, the SKU table, a change of options, listing and deleting."""

from decimal import Decimal

import pytest
from django.urls import reverse

from emporium.catalog.models import Item
from emporium.shops import services as shops
from emporium.storefront.tests.helpers import add_picture
from emporium.trade import orders


def url(name: str, item) -> str:
    return reverse(f"sellercenter:{name}", args=[item.public_id])


def sku_form(item, **overrides) -> dict:
    """The SKU table as the page would post it, with some cells changed."""
    data = {}
    for sku in item.skus.all():
        data[f"price_{sku.pk}"] = str(sku.price)
        data[f"stock_{sku.pk}"] = str(sku.stock)
        data[f"code_{sku.pk}"] = sku.code
    data.update(overrides)
    return data


def test_the_edit_page_shows_fields_skus_and_pictures(seller_client, item):
    page = seller_client.get(url("item_edit", item))
    assert page.status_code == 200
    html = page.content.decode()
    assert item.title in html
    assert "Colour: Red, Blue\nSize: S, M" in html
    assert len(list(page.context["sku_form"].rows())) == 4


def test_a_seller_edits_the_fields(seller_client, shop, item, phones):
    summer = shops.add_shop_category(shop, "Summer")
    response = seller_client.post(
        url("item_edit", item),
        {
            "title": "Silk phone sock",
            "category": phones.pk,
            "shop_categories": [summer.pk],
            "description_html": "<p>Soft</p><script>x</script>",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.category, item.description_html) == (
        "Silk phone sock",
        phones,
        "<p>Soft</p>",
    )
    assert list(item.shop_categories.all()) == [summer]


def test_an_empty_title_is_refused_on_edit(seller_client, item, dresses):
    response = seller_client.post(url("item_edit", item), {"title": " ", "category": dresses.pk})
    assert response.status_code == 200
    assert "title" in response.context["fields_form"].errors
    item.refresh_from_db()
    assert item.title == "Linen summer dress"


def test_a_seller_edits_sku_price_stock_and_code(seller_client, item):
    red_s = item.skus.first()
    response = seller_client.post(
        url("item_skus", item),
        sku_form(item, **{f"price_{red_s.pk}": "99.00", f"stock_{red_s.pk}": "0",
                          f"code_{red_s.pk}": "RS-1"}),
    )  # fmt: skip
    assert response.status_code == 302
    red_s.refresh_from_db()
    assert (red_s.price, red_s.stock, red_s.code) == (Decimal("99.00"), 0, "RS-1")
    item.refresh_from_db()
    assert (item.price, item.stock) == (Decimal("99.00"), 30)


@pytest.mark.parametrize(
    ("column", "value"),
    [("price", "0"), ("price", "12.345"), ("price", "x"), ("stock", "-3"), ("stock", "1000000")],
)
def test_bad_sku_price_saves_nothing(seller_client, item, column, value):
    first, last = item.skus.first(), item.skus.last()
    response = seller_client.post(
        url("item_skus", item),
        sku_form(item, **{f"price_{first.pk}": "1.00", f"{column}_{last.pk}": value}),
    )
    assert response.status_code == 200
    summary = response.context["sku_form"].error_summary()
    assert summary and summary[0].startswith(f"Blue / M: {column}")
    assert "Nothing was saved" in response.content.decode()
    first.refresh_from_db()
    assert first.price == Decimal("199.00")


def test_a_sku_table_missing_a_row_is_refused(seller_client, item):
    data = sku_form(item)
    del data[f"price_{item.skus.first().pk}"]
    response = seller_client.post(url("item_skus", item), data)
    assert response.status_code == 200
    assert response.context["sku_form"].errors


def test_changing_options_asks_for_confirmation_first(seller_client, item):
    data = {"options": "Colour: Red, Green\nSize: S, M", "price": "150.00", "stock": "2"}
    preview = seller_client.post(url("item_options", item), data)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (len(plan.kept), len(plan.added), len(plan.removed)) == (2, 2, 2)
    assert item.skus.filter(options__Colour="Blue").count() == 2  # nothing changed yet

    done = seller_client.post(url("item_options", item), {**data, "confirm": "yes"})
    assert done.status_code == 302
    labels = [s.label for s in item.skus.all()]
    assert labels == ["Red / S", "Red / M", "Green / S", "Green / M"]
    assert item.skus.get(options={"Colour": "Green", "Size": "S"}).price == Decimal("150.00")


def test_removing_all_options_leaves_one_sku(seller_client, item):
    seller_client.post(
        url("item_options", item), {"options": "", "price": "50", "stock": "1", "confirm": "yes"}
    )
    assert list(item.skus.values_list("options", flat=True)) == [{}]
    item.refresh_from_db()
    assert item.option_names == []


def test_a_bad_option_change_keeps_the_old_skus(seller_client, item):
    response = seller_client.post(
        url("item_options", item),
        {"options": "Colour: Red, Red", "price": "10", "stock": "1", "confirm": "yes"},
    )
    assert response.status_code == 200
    assert "given twice" in response.context["options_form"].errors["options"][0]
    assert item.skus.count() == 4


def test_a_seller_delists_and_lists_an_item(seller_client, item):
    add_picture(item)  # no sale without a picture (issue 23)
    seller_client.post(url("item_status", item), {"status": "stock_room"})
    item.refresh_from_db()
    assert item.status == Item.Status.STOCK_ROOM
    seller_client.post(url("item_status", item), {"status": "on_sale"})
    item.refresh_from_db()
    assert item.status == Item.Status.ON_SALE


def test_an_item_without_stock_cannot_be_listed_and_the_seller_is_told(
    seller_client, shop, make_item
):
    dress = make_item(shop, stock=0, status=Item.Status.STOCK_ROOM)
    response = seller_client.post(url("item_status", dress), {"status": "on_sale"}, follow=True)
    assert "An item with no stock cannot be put on sale." in response.content.decode()
    dress.refresh_from_db()
    assert dress.status == Item.Status.STOCK_ROOM


def test_the_status_page_refuses_an_unknown_status(seller_client, item):
    seller_client.post(url("item_status", item), {"status": "deleted"})
    seller_client.post(url("item_status", item), {"status": "sold"})
    item.refresh_from_db()
    assert item.status == Item.Status.ON_SALE


def test_deleting_an_item_asks_first(seller_client, item):
    confirm = seller_client.get(url("item_delete", item))
    assert confirm.status_code == 200
    item.refresh_from_db()
    assert item.status == Item.Status.ON_SALE
    response = seller_client.post(url("item_delete", item))
    assert response.url == reverse("sellercenter:items")
    item.refresh_from_db()
    assert item.status == Item.Status.DELETED


def test_a_deleted_item_can_be_restored_to_the_stock_room(seller_client, item):
    seller_client.post(url("item_delete", item))
    assert "Restore" in seller_client.get(url("item_edit", item)).content.decode()
    seller_client.post(url("item_status", item), {"status": "stock_room"})
    item.refresh_from_db()
    assert item.status == Item.Status.STOCK_ROOM


def test_an_unknown_item_is_404(seller_client, shop):
    response = seller_client.get(
        reverse("sellercenter:item_edit", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


def test_an_ordered_sku_cannot_be_removed_and_the_options_field_says_why(
    seller_client, item, funded_buyer, address
):
    red_s = item.skus.get(options={"Colour": "Red", "Size": "S"})
    orders.checkout(funded_buyer, address, [(red_s, 1)])
    response = seller_client.post(
        url("item_options", item),
        {"options": "Colour: Blue\nSize: S, M", "price": "10", "stock": "1", "confirm": "yes"},
    )
    assert response.status_code == 200
    message = response.context["options_form"].errors["options"][0]
    assert message.startswith("Red / S has been ordered")
    assert item.skus.count() == 4
