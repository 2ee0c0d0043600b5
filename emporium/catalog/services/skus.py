"""The SKU matrix: options, their combinations, and the SKU rows of an item."""

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Min, ProtectedError, Sum
from django.utils.translation import gettext as _

from emporium.catalog.models import Item, Sku
from emporium.catalog.services.checks import (
    _VALUE_SEPARATORS,
    MAX_OPTION_NAME,
    MAX_OPTION_VALUE,
    MAX_OPTION_VALUES,
    MAX_OPTIONS,
    MAX_SKUS,
    CatalogError,
    _check_code,
    check_price,
    check_stock,
)
from emporium.events import announce


@dataclass(frozen=True)
class SkuSpec:
    options: dict[str, str]
    price: Decimal
    stock: int
    code: str = ""


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


def _write_skus(item: Item, skus: list[SkuSpec]) -> None:
    Sku.objects.bulk_create(
        Sku(item=item, options=s.options, price=s.price, stock=s.stock, code=s.code, position=i)
        for i, s in enumerate(skus)
    )


def _options_key(options: dict[str, str]) -> tuple:
    return tuple(sorted(options.items()))


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


# (price, stock) or (price, stock, code) of one SKU; None keeps what the row holds.
SkuChange = tuple[Decimal | None, int | None] | tuple[Decimal | None, int | None, str | None]


@transaction.atomic
def update_skus(
    item: Item,
    changes: Mapping[int, SkuChange],
) -> None:
    """Set price, stock and (optionally) the seller's code of existing SKUs by id; a None keeps
    the value the locked row holds.

    Ids of another item are refused; one bad value changes nothing.
    """
    skus = {s.pk: s for s in item.skus.select_for_update()}
    before = {pk: sku.stock for pk, sku in skus.items()}
    for sku_id, change in changes.items():
        if sku_id not in skus:
            raise CatalogError(_("That SKU belongs to another item."), "skus")
        sku = skus[sku_id]
        if change[0] is not None:
            sku.price = check_price(change[0], "skus")
        if change[1] is not None:
            sku.stock = check_stock(change[1], "skus")
        if len(change) > 2 and change[2] is not None:
            sku.code = _check_code(change[2])
    Sku.objects.bulk_update(skus.values(), ["price", "stock", "code"])
    refresh_item_totals(item)
    announce.item_changed(item)
    for sku in skus.values():
        sku.item = item
    moves = [(sku, before[sku.pk], sku.stock) for sku in skus.values()]
    announce.stocks_changed(item.shop, moves, "seller")
