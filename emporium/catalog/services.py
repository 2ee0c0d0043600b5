"""Catalog rules shared by the seller center, the admin, the demo seeder and (later) the API."""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Min, Sum
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.catalog.models import MAX_PRICE, MAX_STOCK, MIN_PRICE, Category, Item, ItemImage, Sku
from emporium.lib.html import clean_rich_text, plain_text
from emporium.shops.models import Shop

MAX_IMAGES_PER_ITEM = 10
MAX_OPTIONS = 3
MAX_SKUS = 200


class CatalogError(ValueError):
    """A rule of the catalog was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SkuSpec:
    options: dict[str, str]
    price: Decimal
    stock: int
    code: str = ""


def check_price(price: Decimal, field: str = "price") -> Decimal:
    if not isinstance(price, Decimal) or not price.is_finite():
        raise CatalogError(_("Enter a valid price."), field)
    if price < MIN_PRICE or price > MAX_PRICE:
        raise CatalogError(
            _("Price must be between %(low)s and %(high)s.") % {"low": MIN_PRICE, "high": MAX_PRICE},
            field,
        )
    if price.as_tuple().exponent < -2:
        raise CatalogError(_("Price has at most two decimal places."), field)
    return price


def check_stock(stock: int, field: str = "stock") -> int:
    if not isinstance(stock, int) or stock < 0 or stock > MAX_STOCK:
        raise CatalogError(_("Stock must be between 0 and %(max)s.") % {"max": MAX_STOCK}, field)
    return stock


def sku_matrix(options: dict[str, list[str]]) -> list[dict[str, str]]:
    """Every combination of option values: {"Colour": [Red, Blue], "Size": [S, M]} → 4 SKUs."""
    if len(options) > MAX_OPTIONS:
        raise CatalogError(_("At most %(n)s options per item.") % {"n": MAX_OPTIONS}, "options")
    names = list(options)
    combos = [dict(zip(names, values, strict=True)) for values in itertools.product(*options.values())]
    if len(combos) > MAX_SKUS:
        raise CatalogError(_("At most %(n)s SKUs per item.") % {"n": MAX_SKUS}, "options")
    return combos


def _check_skus(option_names: list[str], skus: list[SkuSpec]) -> None:
    if not skus:
        raise CatalogError(_("An item needs at least one SKU."), "skus")
    if len(skus) > MAX_SKUS:
        raise CatalogError(_("At most %(n)s SKUs per item.") % {"n": MAX_SKUS}, "skus")
    seen = set()
    for sku in skus:
        if sorted(sku.options) != sorted(option_names):
            raise CatalogError(_("Every SKU must give a value for each option."), "skus")
        key = tuple(sorted(sku.options.items()))
        if key in seen:
            raise CatalogError(_("Two SKUs have the same options."), "skus")
        seen.add(key)
        check_price(sku.price, "skus")
        check_stock(sku.stock, "skus")


def refresh_item_totals(item: Item) -> None:
    """Item price is its lowest SKU price and stock the sum over SKUs, so lists sort without joins."""
    totals = item.skus.aggregate(low=Min("price"), total=Sum("stock"))
    item.price = totals["low"] or item.price
    item.stock = totals["total"] or 0
    Item.objects.filter(pk=item.pk).update(price=item.price, stock=item.stock)


@transaction.atomic
def create_item(
    shop: Shop,
    *,
    title: str,
    category: Category,
    description_html: str = "",
    option_names: list[str] | None = None,
    skus: list[SkuSpec],
    status: str = Item.Status.STOCK_ROOM,
    shop_categories=(),
) -> Item:
    option_names = option_names or []
    _check_skus(option_names, skus)
    _check_shop_categories(shop, shop_categories)
    description = clean_rich_text(description_html)
    item = Item.objects.create(
        shop=shop,
        category=category,
        title=title.strip(),
        description_html=description,
        description_text=plain_text(description),
        option_names=option_names,
        price=min(s.price for s in skus),
        stock=sum(s.stock for s in skus),
        status=status,
    )
    _write_skus(item, skus)
    item.shop_categories.set(shop_categories)
    return item


def _check_shop_categories(shop: Shop, shop_categories) -> None:
    if any(c.shop_id != shop.pk for c in shop_categories):
        raise CatalogError(_("That shop category belongs to another shop."), "shop_categories")


def _write_skus(item: Item, skus: list[SkuSpec]) -> None:
    Sku.objects.bulk_create(
        Sku(item=item, options=s.options, price=s.price, stock=s.stock, code=s.code, position=i)
        for i, s in enumerate(skus)
    )


@transaction.atomic
def update_item(
    item: Item,
    *,
    title: str,
    category: Category,
    description_html: str,
    shop_categories=(),
) -> Item:
    _check_shop_categories(item.shop, shop_categories)
    description = clean_rich_text(description_html)
    item.title = title.strip()
    item.category = category
    item.description_html = description
    item.description_text = plain_text(description)
    item.save()
    item.shop_categories.set(shop_categories)
    return item


@transaction.atomic
def replace_skus(item: Item, option_names: list[str], skus: list[SkuSpec]) -> None:
    """Replace the item's variants wholesale (a new option set means a new matrix)."""
    _check_skus(option_names, skus)
    item.skus.all().delete()
    item.option_names = option_names
    item.save(update_fields=["option_names", "updated_at"])
    _write_skus(item, skus)
    refresh_item_totals(item)


@transaction.atomic
def update_skus(item: Item, changes: dict[int, tuple[Decimal, int]]) -> None:
    """Set price and stock of existing SKUs by id; ids of another item are refused."""
    skus = {s.pk: s for s in item.skus.select_for_update()}
    for sku_id, (price, stock) in changes.items():
        if sku_id not in skus:
            raise CatalogError(_("That SKU belongs to another item."), "skus")
        skus[sku_id].price = check_price(price, "skus")
        skus[sku_id].stock = check_stock(stock, "skus")
    Sku.objects.bulk_update(skus.values(), ["price", "stock"])
    refresh_item_totals(item)


def set_status(item: Item, status: str) -> None:
    """List (on sale), delist (stock-room) or delete (kept for order history, hidden everywhere)."""
    if status == Item.Status.ON_SALE and item.stock == 0:
        raise CatalogError(_("An item with no stock cannot be put on sale."), "status")
    item.status = status
    item.save(update_fields=["status", "updated_at"])


@transaction.atomic
def bulk_edit(
    shop: Shop,
    sku_ids: list[int],
    *,
    price: Decimal | None = None,
    price_change_percent: Decimal | None = None,
    stock: int | None = None,
) -> int:
    """Set a price (or change it by a percentage) and/or a stock on many SKUs of one shop at once.

    All or nothing: if one resulting price is out of range, nothing is changed.
    """
    skus = list(Sku.objects.select_for_update().filter(pk__in=sku_ids, item__shop=shop))
    if len(skus) != len(set(sku_ids)):
        raise CatalogError(_("Some SKUs were not found in your shop."), "skus")
    for sku in skus:
        if price is not None:
            sku.price = check_price(price)
        elif price_change_percent is not None:
            factor = 1 + price_change_percent / 100
            sku.price = check_price((sku.price * factor).quantize(Decimal("0.01")), "price_change")
        if stock is not None:
            sku.stock = check_stock(stock)
    Sku.objects.bulk_update(skus, ["price", "stock"])
    for item in Item.objects.filter(pk__in={s.item_id for s in skus}):
        refresh_item_totals(item)
    return len(skus)


def add_image(item: Item, upload) -> ItemImage:
    """Check the upload, store its variants, then record it; a refused file leaves nothing behind."""
    if item.images.count() >= MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures.") % {"n": MAX_IMAGES_PER_ITEM}, "image"
        )
    checked = read_upload(upload)
    key = store_picture(checked)
    position = item.images.count()
    return ItemImage.objects.create(
        item=item, key=key, width=checked.width, height=checked.height, position=position
    )


def remove_image(item: Item, image_id: int) -> None:
    item.images.filter(pk=image_id).delete()
