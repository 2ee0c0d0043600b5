"""Catalog rules shared by the seller center, the admin, the demo seeder and (later) the API."""

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, ProtectedError, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from emporium.catalog.images import ImageRejected, read_upload, store_picture
from emporium.catalog.models import MAX_PRICE, MAX_STOCK, MIN_PRICE, Category, Item, ItemImage, Sku
from emporium.events import announce
from emporium.lib.errors import DomainError
from emporium.lib.html import clean_rich_text, plain_text
from emporium.shops.models import Shop

MAX_IMAGES_PER_ITEM = 10
MAX_OPTIONS = 3
MAX_SKUS = 200
MAX_TITLE = 120
MAX_OPTION_NAME = 20
MAX_OPTION_VALUE = 30
MAX_OPTION_VALUES = 50
MAX_SKU_CODE = 40
MIN_PRICE_CHANGE = Decimal("-99")
MAX_PRICE_CHANGE = Decimal("1000")
# Sellers type lists with Chinese punctuation as often as with ASCII.
_VALUE_SEPARATORS = re.compile(r"[,，、]")


class CatalogError(DomainError):
    """A rule of the catalog was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


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
            _("Price must be between %(low)s and %(high)s.")
            % {"low": MIN_PRICE, "high": MAX_PRICE},
            field,
        )
    if price.as_tuple().exponent < -2:
        raise CatalogError(_("Price has at most two decimal places."), field)
    return price


def check_stock(stock: int, field: str = "stock") -> int:
    if not isinstance(stock, int) or stock < 0 or stock > MAX_STOCK:
        raise CatalogError(_("Stock must be between 0 and %(max)s.") % {"max": MAX_STOCK}, field)
    return stock


def check_percent(percent: Decimal, field: str = "price_change") -> Decimal:
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise CatalogError(_("Enter a valid percentage."), field)
    if percent < MIN_PRICE_CHANGE or percent > MAX_PRICE_CHANGE:
        raise CatalogError(
            _("A price change must be between %(low)s%% and +%(high)s%%.")
            % {"low": MIN_PRICE_CHANGE, "high": MAX_PRICE_CHANGE},
            field,
        )
    if percent.as_tuple().exponent < -2:
        raise CatalogError(_("A percentage has at most two decimal places."), field)
    return percent


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise CatalogError(_("Give the item a title."), "title")
    if len(title) > MAX_TITLE:
        raise CatalogError(_("A title has at most %(n)s characters.") % {"n": MAX_TITLE}, "title")
    return title


def check_category(category: Category) -> Category:
    """Items hang on leaves of the tree, so every browse page below a parent finds them."""
    if Category.objects.filter(parent=category).exists():
        raise CatalogError(_("Choose a category that has no sub-categories."), "category")
    return category


def check_listable(stock: int) -> None:
    if stock <= 0:
        raise CatalogError(_("An item with no stock cannot be put on sale."), "status")


def _check_status(status: str) -> str:
    if status not in Item.Status.values:
        raise CatalogError(_("Unknown status."), "status")
    return status


def parse_options(spec: str) -> dict[str, list[str]]:
    """Read lines such as "Colour: Red, Blue" into {"Colour": ["Red", "Blue"]}; blank lines skip."""
    options: dict[str, list[str]] = {}
    for number, raw in enumerate(spec.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, colon, rest = line.replace("\uff1a", ":").partition(":")
        name = name.strip()
        if not colon or not name:
            raise CatalogError(
                _('Line %(n)s: write an option as "Name: value, value".') % {"n": number}, "options"
            )
        if len(name) > MAX_OPTION_NAME:
            raise CatalogError(
                _("Line %(n)s: an option name has at most %(max)s characters.")
                % {"n": number, "max": MAX_OPTION_NAME},
                "options",
            )
        if name.casefold() in (known.casefold() for known in options):
            raise CatalogError(
                _("Line %(n)s: the option %(name)s is given twice.") % {"n": number, "name": name},
                "options",
            )
        values = [v.strip() for v in _VALUE_SEPARATORS.split(rest) if v.strip()]
        _check_option_values(number, name, values)
        options[name] = values
    if len(options) > MAX_OPTIONS:
        raise CatalogError(_("At most %(n)s options per item.") % {"n": MAX_OPTIONS}, "options")
    return options


def _check_option_values(number: int, name: str, values: list[str]) -> None:
    context = {"n": number, "name": name, "max": MAX_OPTION_VALUES}
    if not values:
        message = _("Line %(n)s: give at least one value for %(name)s.")
    elif len(values) > MAX_OPTION_VALUES:
        message = _("Line %(n)s: %(name)s has more than %(max)s values.")
    elif any(len(v) > MAX_OPTION_VALUE for v in values):
        context["max"] = MAX_OPTION_VALUE
        message = _("Line %(n)s: a value of %(name)s has more than %(max)s characters.")
    elif len({v.casefold() for v in values}) != len(values):
        message = _("Line %(n)s: a value of %(name)s is given twice.")
    else:
        return
    raise CatalogError(message % context, "options")


def options_of(item: Item) -> dict[str, list[str]]:
    """The item's option values in SKU order, the inverse of sku_matrix."""
    options: dict[str, list[str]] = {name: [] for name in item.option_names}
    for sku in item.skus.all():
        for name, value in sku.options.items():
            if name in options and value not in options[name]:
                options[name].append(value)
    return options


def format_options(options: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {', '.join(values)}" for name, values in options.items())


def sku_matrix(options: dict[str, list[str]]) -> list[dict[str, str]]:
    """Every combination of option values: {"Colour": [Red, Blue], "Size": [S, M]} → 4 SKUs."""
    if len(options) > MAX_OPTIONS:
        raise CatalogError(_("At most %(n)s options per item.") % {"n": MAX_OPTIONS}, "options")
    names = list(options)
    combos = [
        dict(zip(names, values, strict=True)) for values in itertools.product(*options.values())
    ]
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
    """Item price is the lowest SKU price, stock the sum over SKUs: lists sort without joins."""
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
    title = check_title(title)
    check_category(category)
    _check_status(status)
    _check_skus(option_names, skus)
    _check_shop_categories(shop, shop_categories)
    description = clean_rich_text(description_html)
    item = Item.objects.create(
        shop=shop,
        category=category,
        title=title,
        description_html=description,
        description_text=plain_text(description),
        option_names=option_names,
        price=min(s.price for s in skus),
        stock=sum(s.stock for s in skus),
        status=status,
    )
    _write_skus(item, skus)
    item.shop_categories.set(shop_categories)
    announce.item_changed(item, "item.created")
    return item


def _check_shop_categories(shop: Shop, shop_categories) -> None:
    if any(c.shop_id != shop.pk for c in shop_categories):
        raise CatalogError(_("That shop category belongs to another shop."), "shop_categories")


def _write_skus(item: Item, skus: list[SkuSpec]) -> None:
    Sku.objects.bulk_create(
        Sku(item=item, options=s.options, price=s.price, stock=s.stock, code=s.code, position=i)
        for i, s in enumerate(skus)
    )


def _options_key(options: dict[str, str]) -> tuple:
    return tuple(sorted(options.items()))


@transaction.atomic
def update_item(
    item: Item,
    *,
    title: str,
    category: Category,
    description_html: str,
    shop_categories=(),
) -> Item:
    title = check_title(title)
    check_category(category)
    _check_shop_categories(item.shop, shop_categories)
    description = clean_rich_text(description_html)
    item.title = title
    item.category = category
    item.description_html = description
    item.description_text = plain_text(description)
    item.save()
    item.shop_categories.set(shop_categories)
    announce.item_changed(item)
    return item


@transaction.atomic
def replace_skus(item: Item, option_names: list[str], skus: list[SkuSpec]) -> None:
    """Replace the item's variants wholesale (a new option set means a new matrix).

    A SKU whose option combination survives keeps its row (and id) with the new values, so
    carts holding it are not emptied by an unrelated change; the others are deleted.
    """
    _check_skus(option_names, skus)
    existing = {_options_key(s.options): s for s in item.skus.select_for_update()}
    kept, created = [], []
    for position, spec in enumerate(skus):
        row = existing.pop(_options_key(spec.options), None)
        if row is None:
            row = Sku(item=item, options=spec.options)
            created.append(row)
        else:
            kept.append(row)
        row.price, row.stock, row.code, row.position = spec.price, spec.stock, spec.code, position
    _delete_skus(list(existing.values()))
    Sku.objects.bulk_update(kept, ["options", "price", "stock", "code", "position"])
    Sku.objects.bulk_create(created)
    item.option_names = option_names
    item.save(update_fields=["option_names", "updated_at"])
    refresh_item_totals(item)
    announce.item_changed(item)


def _delete_skus(skus: list[Sku]) -> None:
    try:
        Sku.objects.filter(pk__in=[s.pk for s in skus]).delete()
    except ProtectedError as error:
        # Order lines keep their SKU for the order's history, so an ordered variant stays.
        ordered = {getattr(row, "sku_id", None) for row in error.protected_objects}
        labels = ", ".join(s.label or _("default SKU") for s in skus if s.pk in ordered)
        raise CatalogError(
            _("%(skus)s has been ordered and cannot be removed; set its stock to 0 instead.")
            % {"skus": labels},
            "options",
        ) from None


@dataclass(frozen=True)
class OptionsPlan:
    """What a change of options would do, for the seller to confirm first."""

    options: dict[str, list[str]]
    kept: list[Sku]
    added: list[dict[str, str]]
    removed: list[Sku]


def plan_options_change(item: Item, options: dict[str, list[str]]) -> OptionsPlan:
    current = {_options_key(s.options): s for s in item.skus.all()}
    kept, added = [], []
    for combo in sku_matrix(options):
        sku = current.pop(_options_key(combo), None)
        if sku is None:
            added.append(combo)
        else:
            kept.append(sku)
    return OptionsPlan(options=options, kept=kept, added=added, removed=list(current.values()))


@transaction.atomic
def change_options(
    item: Item, options: dict[str, list[str]], *, price: Decimal, stock: int
) -> OptionsPlan:
    """A new SKU matrix: surviving combinations keep price, stock and code; new ones get these."""
    plan = plan_options_change(item, options)
    if plan.added:
        check_price(price)
        check_stock(stock)
    specs = [SkuSpec(s.options, s.price, s.stock, s.code) for s in plan.kept]
    specs += [SkuSpec(combo, price, stock) for combo in plan.added]
    # Keep the matrix order (first option varies slowest) rather than "kept first".
    order = {_options_key(c): i for i, c in enumerate(sku_matrix(options))}
    specs.sort(key=lambda spec: order[_options_key(spec.options)])
    replace_skus(item, list(options), specs)
    return plan


@transaction.atomic
def update_skus(
    item: Item, changes: dict[int, tuple[Decimal, int] | tuple[Decimal, int, str]]
) -> None:
    """Set price, stock and (optionally) the seller's code of existing SKUs by id.

    Ids of another item are refused; one bad value changes nothing.
    """
    skus = {s.pk: s for s in item.skus.select_for_update()}
    before = {pk: sku.stock for pk, sku in skus.items()}
    for sku_id, change in changes.items():
        if sku_id not in skus:
            raise CatalogError(_("That SKU belongs to another item."), "skus")
        sku = skus[sku_id]
        sku.price = check_price(change[0], "skus")
        sku.stock = check_stock(change[1], "skus")
        if len(change) > 2:
            sku.code = _check_code(change[2])
    Sku.objects.bulk_update(skus.values(), ["price", "stock", "code"])
    refresh_item_totals(item)
    announce.item_changed(item)
    for sku in skus.values():
        sku.item = item
        announce.stock_changed(sku, before[sku.pk], sku.stock, "seller")


def _check_code(code: str) -> str:
    code = code.strip()
    if len(code) > MAX_SKU_CODE:
        raise CatalogError(
            _("A SKU code has at most %(n)s characters.") % {"n": MAX_SKU_CODE}, "skus"
        )
    return code


@transaction.atomic
def set_status(item: Item, status: str) -> None:
    """List (on sale), delist (stock-room) or delete (kept for order history, hidden everywhere)."""
    _check_status(status)
    if status == Item.Status.ON_SALE:
        check_listable(item.stock)
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    announce.item_changed(item)


@transaction.atomic
def bulk_set_status(shop: Shop, item_ids: Sequence[int], status: str) -> int:
    """List, delist or delete many items of one shop; all or nothing."""
    _check_status(status)
    items = list(Item.objects.select_for_update().filter(shop=shop, pk__in=item_ids))
    if len(items) != len(set(item_ids)):
        raise CatalogError(_("Some items were not found in your shop."), "items")
    if status == Item.Status.ON_SALE:
        for item in items:
            if item.stock <= 0:
                raise CatalogError(
                    _("%(title)s has no stock and cannot be put on sale.") % {"title": item.title},
                    "items",
                )
    Item.objects.filter(pk__in=[i.pk for i in items]).update(status=status)
    for item in items:
        item.status = status
    announce.items_changed(shop, items)
    return len(items)


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
    skus = list(
        Sku.objects.select_for_update()
        .select_related("item")
        .filter(pk__in=sku_ids, item__shop=shop)
    )
    before = {sku.pk: sku.stock for sku in skus}
    if len(skus) != len(set(sku_ids)):
        raise CatalogError(_("Some SKUs were not found in your shop."), "skus")
    if price is not None:
        check_price(price)
    if price_change_percent is not None:
        check_percent(price_change_percent)
    if stock is not None:
        check_stock(stock)
    for sku in skus:
        if price is not None:
            sku.price = price
        elif price_change_percent is not None:
            factor = 1 + price_change_percent / 100
            changed = (sku.price * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            try:
                sku.price = check_price(changed, "price_change")
            except CatalogError as error:
                raise _name_the_sku(sku, changed, error) from None
        if stock is not None:
            sku.stock = stock
    Sku.objects.bulk_update(skus, ["price", "stock"])
    _refresh_totals_of({s.item_id for s in skus})
    announce.items_changed(shop, Item.objects.filter(pk__in={s.item_id for s in skus}))
    for sku in skus:
        sku.item.shop = shop
        announce.stock_changed(sku, before[sku.pk], sku.stock, "seller")
    return len(skus)


def _refresh_totals_of(item_ids: Iterable[int]) -> None:
    """refresh_item_totals for many items in one statement."""
    per_item = Sku.objects.filter(item=OuterRef("pk")).order_by().values("item")
    Item.objects.filter(pk__in=list(item_ids)).update(
        price=Coalesce(Subquery(per_item.annotate(low=Min("price")).values("low")), F("price")),
        stock=Coalesce(Subquery(per_item.annotate(total=Sum("stock")).values("total")), 0),
    )


def _name_the_sku(sku: Sku, price: Decimal, error: CatalogError) -> CatalogError:
    title = Item.objects.values_list("title", flat=True).get(pk=sku.item_id)
    label = f"{title} {sku.label}".strip()
    message = _("%(sku)s would cost %(price)s. %(rule)s") % {
        "sku": label,
        "price": price,
        "rule": error,
    }
    return CatalogError(message, error.field)


@transaction.atomic
def bulk_edit_items(
    shop: Shop,
    item_ids: Sequence[int],
    *,
    price: Decimal | None = None,
    price_change_percent: Decimal | None = None,
    stock: int | None = None,
) -> int:
    """bulk_edit over every SKU of the given items of one shop; returns how many SKUs changed."""
    found = Item.objects.filter(shop=shop, pk__in=item_ids)
    if found.count() != len(set(item_ids)):
        raise CatalogError(_("Some items were not found in your shop."), "items")
    sku_ids = list(Sku.objects.filter(item__in=found).values_list("pk", flat=True))
    return bulk_edit(
        shop, sku_ids, price=price, price_change_percent=price_change_percent, stock=stock
    )


def item_counts(shop: Shop) -> dict[str, int]:
    """How many of the shop's items are on sale, in the stock-room, and out of stock."""
    live = ~Q(status=Item.Status.DELETED)
    return Item.objects.filter(shop=shop).aggregate(
        total=Count("pk", filter=live),
        on_sale=Count("pk", filter=Q(status=Item.Status.ON_SALE)),
        stock_room=Count("pk", filter=Q(status=Item.Status.STOCK_ROOM)),
        out_of_stock=Count("pk", filter=live & Q(stock=0)),
    )


def add_image(item: Item, upload) -> ItemImage:
    """Check the upload, store its variants, then record it; a refused file leaves nothing."""
    if item.images.count() >= MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures.") % {"n": MAX_IMAGES_PER_ITEM}, "image"
        )
    checked = read_upload(upload)
    key = store_picture(checked)
    with transaction.atomic():
        image = ItemImage.objects.create(
            item=item,
            key=key,
            width=checked.width,
            height=checked.height,
            position=item.images.count(),
        )
        announce.item_changed(item)
    return image


@transaction.atomic
def add_images(item: Item, uploads: Iterable) -> list[ItemImage]:
    """Several pictures at once: every file is checked before any is stored, so one bad file
    refuses the lot and the seller can simply pick the files again."""
    uploads = list(uploads)
    present = item.images.count()
    if present + len(uploads) > MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures; it has %(present)s.")
            % {"n": MAX_IMAGES_PER_ITEM, "present": present},
            "image",
        )
    checked = []
    for upload in uploads:
        try:
            checked.append(read_upload(upload))
        except ImageRejected as error:
            raise ImageRejected(f"{getattr(upload, 'name', '')}: {error}") from None
    top = item.images.aggregate(top=Max("position"))["top"]
    start = 0 if top is None else top + 1
    added = [
        ItemImage.objects.create(
            item=item, key=store_picture(c), width=c.width, height=c.height, position=start + n
        )
        for n, c in enumerate(checked)
    ]
    announce.item_changed(item)
    return added


@transaction.atomic
def remove_image(item: Item, image_id: int) -> None:
    item.images.filter(pk=image_id).delete()
    _renumber_images(item, [i.pk for i in item.images.all()])
    announce.item_changed(item)


@transaction.atomic
def set_main_image(item: Item, image_id: int) -> None:
    """The main picture is the first; the others keep their order behind it."""
    ids = [i.pk for i in item.images.select_for_update()]
    if image_id not in ids:
        raise CatalogError(_("That picture belongs to another item."), "image")
    ids.remove(image_id)
    _renumber_images(item, [image_id, *ids])
    announce.item_changed(item)


def _renumber_images(item: Item, ordered_ids: list[int]) -> None:
    images = {i.pk: i for i in item.images.all()}
    for position, pk in enumerate(ordered_ids):
        images[pk].position = position
    ItemImage.objects.bulk_update(images.values(), ["position"])
