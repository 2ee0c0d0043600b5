"""Changes to many items or SKUs of one shop at once, all or nothing."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from emporium.catalog.models import Item, ItemImage, Sku
from emporium.catalog.services.checks import (
    PICTURE_REQUIRED,
    CatalogError,
    _check_status,
    check_percent,
    check_price,
    check_stock,
)
from emporium.events import announce
from emporium.lib import money
from emporium.shops.models import Shop


@transaction.atomic
def bulk_set_status(shop: Shop, item_ids: Sequence[int], status: str) -> int:
    """List, delist or delete many items of one shop; all or nothing."""
    _check_status(status)
    items = list(Item.objects.select_for_update().filter(shop=shop, pk__in=item_ids))
    if len(items) != len(set(item_ids)):
        raise CatalogError(_("Some items were not found in your shop."), "items")
    if status == Item.Status.ON_SALE:
        pictured = set(
            ItemImage.objects.filter(item__in=items).values_list("item_id", flat=True).distinct()
        )
        for item in items:
            if item.stock <= 0:
                raise CatalogError(
                    _("%(title)s has no stock and cannot be put on sale.") % {"title": item.title},
                    "items",
                )
            if item.pk not in pictured:
                raise CatalogError(
                    _("%(title)s has no picture and cannot be put on sale.")
                    % {"title": item.title},
                    "items",
                    code=PICTURE_REQUIRED,
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
            changed = money.to_cents(sku.price * factor)
            try:
                sku.price = check_price(changed, "price_change")
            except CatalogError as error:
                raise _name_the_sku(sku, changed, error) from None
        if stock is not None:
            sku.stock = stock
    Sku.objects.bulk_update(skus, ["price", "stock"])
    _refresh_totals_of({s.item_id for s in skus})
    announce.items_changed(shop, Item.objects.filter(pk__in={s.item_id for s in skus}))
    announce.stocks_changed(shop, [(s, before[s.pk], s.stock) for s in skus], "seller")
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
