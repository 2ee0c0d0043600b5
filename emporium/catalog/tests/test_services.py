"""Catalog rules: option specs, SKU matrices, bulk edits and pictures, all or nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emporium.catalog import services as catalog
from emporium.catalog.images import ImageRejected
from emporium.catalog.models import Category, Item, Sku
from emporium.conftest import picture_bytes
from emporium.trade import orders
from emporium.trade.models import Cart, CartLine


def prices(item: Item) -> list[Decimal]:
    return list(item.skus.values_list("price", flat=True))


def upload(name: str = "dress.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes() if data is None else data, "image/png")


# --- option specs -----------------------------------------------------------------------------


def test_it_parses_option_lines_into_a_matrix():
    options = catalog.parse_options("Colour: Red, Blue\n\n  Size: S, M, L  \n")
    assert options == {"Colour": ["Red", "Blue"], "Size": ["S", "M", "L"]}
    assert len(catalog.sku_matrix(options)) == 6


def test_it_accepts_chinese_punctuation_in_option_lines():
    assert catalog.parse_options("颜色：红色，蓝色、白色") == {"颜色": ["红色", "蓝色", "白色"]}


def test_no_option_lines_mean_one_sku_without_options():
    assert catalog.sku_matrix(catalog.parse_options("")) == [{}]


@pytest.mark.parametrize(
    "spec",
    [
        "Colour Red, Blue",  # no colon
        ": Red",  # no name
        "Colour:",  # no values
        "Colour: Red, red",  # a value twice
        "Colour: Red\ncolour: Blue",  # an option twice
        "A: 1\nB: 2\nC: 3\nD: 4",  # too many options
        "Colour: " + "x" * 31,  # value too long
        "C" * 21 + ": x",  # name too long
    ],
)
def test_it_refuses_a_bad_option_spec_naming_the_options_field(spec):
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.parse_options(spec)
    assert refused.value.field == "options"


def test_it_refuses_a_matrix_of_more_than_the_sku_limit():
    options = catalog.parse_options(
        "A: " + ", ".join(map(str, range(20))) + "\nB: " + ", ".join(map(str, range(11)))
    )
    with pytest.raises(catalog.CatalogError, match="SKUs"):
        catalog.sku_matrix(options)


def test_options_of_an_item_read_back_as_the_spec_that_made_it(item):
    assert catalog.format_options(catalog.options_of(item)) == "Colour: Red, Blue\nSize: S, M"


# --- creating and editing -----------------------------------------------------------------------


def test_an_item_cannot_hang_on_a_parent_category(shop, make_item):
    women = Category.objects.get(slug="women")
    with pytest.raises(catalog.CatalogError) as refused:
        make_item(shop, category=women)
    assert refused.value.field == "category"
    assert not Item.objects.exists()


def test_an_empty_title_is_refused(shop, make_item):
    with pytest.raises(catalog.CatalogError) as refused:
        make_item(shop, title="   ")
    assert refused.value.field == "title"


def test_a_bad_sku_price_creates_no_item(shop, dresses):
    specs = [
        catalog.SkuSpec({"Size": "S"}, Decimal("10.00"), 1),
        catalog.SkuSpec({"Size": "M"}, Decimal("0.00"), 1),
    ]
    with pytest.raises(catalog.CatalogError):
        catalog.create_item(
            shop, title="Dress", category=dresses, option_names=["Size"], skus=specs
        )
    assert not Item.objects.exists()
    assert not Sku.objects.exists()


def test_update_skus_sets_price_stock_and_code_and_refreshes_the_totals(item):
    first, *rest = item.skus.all()
    catalog.update_skus(item, {first.pk: (Decimal("99.50"), 3, " RED-S ")})
    first.refresh_from_db()
    item.refresh_from_db()
    assert (first.price, first.stock, first.code) == (Decimal("99.50"), 3, "RED-S")
    assert item.price == Decimal("99.50")
    assert item.stock == 3 + 10 * len(rest)


def test_update_skus_refuses_a_sku_of_another_item_and_changes_nothing(item, shop, make_item):
    other = make_item(shop, title="Other").skus.get()
    mine = item.skus.first()
    with pytest.raises(catalog.CatalogError):
        catalog.update_skus(item, {mine.pk: (Decimal("1.00"), 1), other.pk: (Decimal("1.00"), 1)})
    mine.refresh_from_db()
    assert mine.price == Decimal("199.00")


def test_changing_options_keeps_surviving_skus_and_their_ids(item, buyer):
    red_s = item.skus.get(options={"Colour": "Red", "Size": "S"})
    catalog.update_skus(item, {red_s.pk: (Decimal("150.00"), 7, "R-S")})
    cart = Cart.objects.create(member=buyer)
    CartLine.objects.create(cart=cart, sku=red_s)

    plan = catalog.change_options(
        item,
        {"Colour": ["Red", "Green"], "Size": ["S", "M"]},
        price=Decimal("120.00"),
        stock=5,
    )

    assert len(plan.kept) == 2 and len(plan.added) == 2 and len(plan.removed) == 2
    kept = Sku.objects.get(pk=red_s.pk)
    assert (kept.price, kept.stock, kept.code) == (Decimal("150.00"), 7, "R-S")
    green = item.skus.get(options={"Colour": "Green", "Size": "M"})
    assert (green.price, green.stock) == (Decimal("120.00"), 5)
    assert [s.label for s in item.skus.all()] == ["Red / S", "Red / M", "Green / S", "Green / M"]
    assert CartLine.objects.filter(sku=red_s).exists()
    item.refresh_from_db()
    assert item.price == Decimal("120.00")
    assert item.stock == 7 + 10 + 5 + 5


def test_an_ordered_sku_cannot_be_removed_by_an_option_change(item, funded_buyer, address):
    red_s = item.skus.get(options={"Colour": "Red", "Size": "S"})
    orders.checkout(funded_buyer, address, [(red_s, 1)])
    with pytest.raises(catalog.CatalogError, match="Red / S") as refused:
        catalog.change_options(
            item, {"Colour": ["Blue"], "Size": ["S", "M"]}, price=Decimal("1.00"), stock=1
        )
    assert refused.value.field == "options"
    assert item.skus.count() == 4


def test_a_bad_price_for_new_skus_leaves_the_options_as_they_were(item):
    with pytest.raises(catalog.CatalogError):
        catalog.change_options(item, {"Size": ["XL"]}, price=Decimal("0"), stock=1)
    assert item.skus.count() == 4
    item.refresh_from_db()
    assert item.option_names == ["Colour", "Size"]


# --- status -------------------------------------------------------------------------------------


def test_an_item_without_stock_cannot_be_listed(shop, make_item):
    dress = make_item(shop, stock=0, status=Item.Status.STOCK_ROOM)
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.set_status(dress, Item.Status.ON_SALE)
    assert refused.value.field == "status"


def test_bulk_listing_is_all_or_nothing(shop, make_item):
    stocked = make_item(shop, title="Stocked", status=Item.Status.STOCK_ROOM)
    empty = make_item(shop, title="Empty", stock=0, status=Item.Status.STOCK_ROOM)
    with pytest.raises(catalog.CatalogError, match="Empty"):
        catalog.bulk_set_status(shop, [stocked.pk, empty.pk], Item.Status.ON_SALE)
    stocked.refresh_from_db()
    assert stocked.status == Item.Status.STOCK_ROOM


def test_bulk_status_refuses_another_shops_item(shop, other_shop, make_item):
    mine, theirs = make_item(shop), make_item(other_shop, title="Phone")
    with pytest.raises(catalog.CatalogError):
        catalog.bulk_set_status(shop, [mine.pk, theirs.pk], Item.Status.DELETED)
    theirs.refresh_from_db()
    assert theirs.status == Item.Status.ON_SALE


# --- bulk price and stock -----------------------------------------------------------------------


def test_bulk_price_change_by_a_percentage_rounds_half_up(shop, make_item):
    dress = make_item(shop, price="10.05")
    catalog.bulk_edit_items(shop, [dress.pk], price_change_percent=Decimal("10"))
    assert prices(dress) == [Decimal("11.06")]  # 11.055 → 11.06
    dress.refresh_from_db()
    assert dress.price == Decimal("11.06")


def test_bulk_price_change_is_all_or_nothing(shop, make_item):
    cheap = make_item(shop, title="Cheap", price="0.01")
    dear = make_item(shop, title="Dear", price="100.00")
    with pytest.raises(catalog.CatalogError, match="Cheap") as refused:
        catalog.bulk_edit_items(shop, [dear.pk, cheap.pk], price_change_percent=Decimal("-60"))
    assert refused.value.field == "price_change"
    assert prices(dear) == [Decimal("100.00")]
    assert prices(cheap) == [Decimal("0.01")]


def test_bulk_stock_sets_every_sku_and_the_item_total(item, shop):
    assert catalog.bulk_edit_items(shop, [item.pk], stock=2) == 4
    item.refresh_from_db()
    assert item.stock == 8


@pytest.mark.parametrize(
    "change",
    [
        {"price": Decimal("0")},
        {"price": Decimal("10000000")},
        {"price": Decimal("1.001")},
        {"price_change_percent": Decimal("-100")},
        {"price_change_percent": Decimal("NaN")},
        {"stock": -1},
        {"stock": 1_000_000},
    ],
)
def test_bulk_edit_refuses_values_out_of_range(item, shop, change):
    with pytest.raises(catalog.CatalogError):
        catalog.bulk_edit_items(shop, [item.pk], **change)
    assert prices(item) == [
        Decimal("199.00"),
        Decimal("200.00"),
        Decimal("201.00"),
        Decimal("202.00"),
    ]


def test_bulk_edit_refuses_another_shops_items(shop, other_shop, make_item):
    theirs = make_item(other_shop, title="Phone")
    with pytest.raises(catalog.CatalogError):
        catalog.bulk_edit_items(shop, [theirs.pk], price=Decimal("1.00"))
    assert prices(theirs) == [Decimal("199.00")]


def test_item_counts_split_the_shop_by_status_and_stock(shop, make_item):
    make_item(shop)
    make_item(shop, stock=0)
    make_item(shop, status=Item.Status.STOCK_ROOM)
    make_item(shop, stock=0, status=Item.Status.DELETED)
    counts = catalog.item_counts(shop)
    assert counts == {"total": 3, "on_sale": 2, "stock_room": 1, "out_of_stock": 1}


# --- pictures -----------------------------------------------------------------------------------


def test_pictures_are_added_in_order_and_one_can_be_made_main(item):
    first, second, third = catalog.add_images(
        item, [upload("a.png"), upload("b.jpg", picture_bytes("JPEG")), upload("c.png")]
    )
    catalog.set_main_image(item, third.pk)
    assert list(item.images.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    catalog.remove_image(item, third.pk)
    assert list(item.images.values_list("position", flat=True)) == [0, 1]


def test_one_bad_file_refuses_the_whole_upload(item):
    with pytest.raises(ImageRejected, match="notes.jpg"):
        catalog.add_images(item, [upload("a.png"), upload("notes.jpg", b"just some text")])
    assert not item.images.exists()


def test_an_item_has_at_most_ten_pictures(item):
    catalog.add_images(item, [upload(f"{n}.png") for n in range(10)])
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.add_images(item, [upload("eleven.png")])
    assert refused.value.field == "image"


def test_a_picture_of_another_item_cannot_be_made_main(item, shop, make_item):
    other = make_item(shop, title="Other")
    (picture,) = catalog.add_images(other, [upload()])
    with pytest.raises(catalog.CatalogError):
        catalog.set_main_image(item, picture.pk)
