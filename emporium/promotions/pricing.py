"""The one price calculation: the item page, the cart and checkout all call it, so they agree.

Promotions apply in this order (docs/promotions.md):
1. a running flash sale on the SKU sets its unit price, while its units last and for at most
   its per-buyer limit (less what the buyer already has at that price); the rest of the line
   is priced as if there were no flash sale (steps 2 and on);
2. otherwise the best running item discount takes a percentage off the unit price;
3. the best running spend-and-save offer the shop subtotal reaches is taken off the subtotal;
4. the buyer's chosen shop coupon is taken off what remains, if its minimum spend is reached.
Order-level savings (3, 4) are shared across lines in proportion to their amounts, to the cent.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from django.db.models import QuerySet

from emporium.catalog.models import Item, Sku
from emporium.lib.money import CENT, ZERO, exact, to_cents
from emporium.promotions.models import Coupon, Discount, FlashSale, Threshold
from emporium.shops.models import Shop

MIN_TOTAL = CENT
Running = TypeVar("Running", FlashSale, Threshold)
# Units a buyer already has at each flash sale's price (orders not cancelled), by sale id; the
# trading side answers it (trade.quotes.flash_units_had), pricing only asks.
FlashHistory = Callable[[list[int]], dict[int, int]]


def _nothing_had(sale_ids: list[int]) -> dict[int, int]:
    return {}


@dataclass
class UnitPrice:
    list_price: Decimal
    price: Decimal
    flash_sale: FlashSale | None = None
    discount: Discount | None = None
    # With a flash sale: the price the same SKU has without it (the item discount or the list
    # price), for the units past the buyer's limit or the sale's own units.
    regular: "UnitPrice | None" = None

    def __post_init__(self) -> None:
        exact(self.list_price, "a list price")
        exact(self.price, "a price")

    @property
    def is_reduced(self) -> bool:
        return self.price < self.list_price

    @property
    def label(self) -> str:
        if self.flash_sale:
            return self.flash_sale.name
        return self.discount.name if self.discount else ""


@dataclass
class QuoteLine:
    sku: Sku
    quantity: int
    unit: UnitPrice
    discount_share: Decimal = ZERO
    # Set on the part of a SKU priced without its running flash sale: "flash_limit" (the buyer
    # reached the per-buyer limit) or "flash_sold_out" (the sale's own units ran out).
    flash_note: str = ""
    flash_sale: FlashSale | None = None  # the sale the note is about

    @property
    def amount(self) -> Decimal:
        return self.unit.price * self.quantity

    @property
    def total(self) -> Decimal:
        return self.amount - self.discount_share


@dataclass
class ShopQuote:
    shop: Shop
    lines: list[QuoteLine]
    threshold: Threshold | None = None
    threshold_amount: Decimal = ZERO
    coupon: Coupon | None = None
    coupon_amount: Decimal = ZERO
    notes: list[str] = field(default_factory=list)

    @property
    def items_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def discount_amount(self) -> Decimal:
        return self.threshold_amount + self.coupon_amount

    @property
    def total_amount(self) -> Decimal:
        return self.items_amount - self.discount_amount

    def applied(self) -> list[dict]:
        """What was applied, in order, as stored on the order."""
        applied = []
        for line in self.lines:
            if line.unit.flash_sale:
                applied.append(
                    {"kind": "flash_sale", "id": line.unit.flash_sale.pk, "sku": line.sku.pk}
                )
            elif line.unit.discount:
                applied.append(
                    {"kind": "discount", "id": line.unit.discount.pk, "sku": line.sku.pk}
                )
        if self.threshold:
            applied.append(
                {"kind": "threshold", "id": self.threshold.pk, "amount": str(self.threshold_amount)}
            )
        if self.coupon:
            applied.append(
                {"kind": "coupon", "id": self.coupon.pk, "amount": str(self.coupon_amount)}
            )
        return applied


def _running(queryset: QuerySet[Running], at: datetime) -> QuerySet[Running]:
    return queryset.filter(is_stopped=False, starts_at__lte=at, ends_at__gt=at)


def unit_prices(skus: list[Sku], at: datetime) -> dict[int, UnitPrice]:
    """Each SKU's price now, after flash sales and item discounts (two queries for any number)."""
    sku_ids = [s.pk for s in skus]
    item_ids = {s.item_id for s in skus}
    flashes: dict[int, FlashSale] = {}
    for sale in _running(FlashSale.objects.filter(sku_id__in=sku_ids), at).order_by("flash_price"):
        if sale.remaining > 0:
            flashes.setdefault(sale.sku_id, sale)
    best_discount: dict[int, Discount] = {}
    links = Discount.items.through.objects.filter(
        item_id__in=item_ids,
        discount__is_stopped=False,
        discount__starts_at__lte=at,
        discount__ends_at__gt=at,
    )
    for link in links.select_related("discount").order_by("-discount__percent_off"):
        best_discount.setdefault(link.item_id, link.discount)
    prices: dict[int, UnitPrice] = {}
    for sku in skus:
        discount = best_discount.get(sku.item_id)
        if discount is not None:
            reduced = max(MIN_TOTAL, to_cents(sku.price * (100 - discount.percent_off) / 100))
            regular = UnitPrice(sku.price, reduced, discount=discount)
        else:
            regular = UnitPrice(sku.price, sku.price)
        flash = flashes.get(sku.pk)
        if flash is not None and flash.flash_price < regular.price:
            prices[sku.pk] = UnitPrice(sku.price, flash.flash_price, flash, regular=regular)
        else:
            prices[sku.pk] = regular
    return prices


@dataclass(frozen=True)
class ShownPrice:
    """What a card, a list or the item page shows for an item: its lowest price now, the lowest
    list price struck through when promotions bring it lower, and the promotions' names."""

    price: Decimal
    list_price: Decimal
    high_price: Decimal
    labels: tuple[str, ...] = ()

    @property
    def is_reduced(self) -> bool:
        return self.price < self.list_price

    @classmethod
    def of(cls, offers: Iterable[UnitPrice]) -> "ShownPrice":
        offers = list(offers)
        return cls(
            price=min(o.price for o in offers),
            list_price=min(o.list_price for o in offers),
            high_price=max(o.price for o in offers),
            labels=tuple(sorted({o.label for o in offers if o.label})),
        )


def shown_prices(item_ids: Iterable[int], at: datetime) -> dict[int, ShownPrice]:
    """Each item's ShownPrice, from the same unit prices checkout charges (three queries for
    any number of items); an item without SKUs has none."""
    skus = list(Sku.objects.filter(item_id__in=list(item_ids)))
    offers = unit_prices(skus, at)
    by_item: dict[int, list[UnitPrice]] = {}
    for sku in skus:
        by_item.setdefault(sku.item_id, []).append(offers[sku.pk])
    return {item_id: ShownPrice.of(found) for item_id, found in by_item.items()}


def attach_shown_prices(items: list[Item], at: datetime) -> list[Item]:
    """Give each item of a list of cards `shown`, the price its item page shows too."""
    shown = shown_prices({item.pk for item in items}, at)
    for item in items:
        item.shown = shown.get(item.pk) or ShownPrice(item.price, item.price, item.price)  # type: ignore[attr-defined]
    return items


def quote_shop(
    shop: Shop,
    wanted: list[tuple[Sku, int]],
    at: datetime,
    coupon: Coupon | None = None,
    had: FlashHistory = _nothing_had,
) -> ShopQuote:
    """Price one shop's part of a cart. Does not check stock; checkout does, and checks the
    flash sales' limits again under their row locks."""
    return quote_shops({shop: wanted}, at, {shop.pk: coupon} if coupon else None, had)[0]


def flash_allowances(prices: Iterable[UnitPrice], had: FlashHistory) -> dict[int, int]:
    """How many more units each running flash sale among `prices` gives this buyer at its
    price: its per-buyer limit less what they already have, never more than its units left."""
    sales = {p.flash_sale.pk: p.flash_sale for p in prices if p.flash_sale is not None}
    if not sales:
        return {}
    already = had(list(sales))
    return {
        pk: max(0, min(sale.per_buyer_limit - already.get(pk, 0), sale.remaining))
        for pk, sale in sales.items()
    }


def _lines(sku: Sku, quantity: int, unit: UnitPrice, allowances: dict[int, int]) -> list[QuoteLine]:
    """The quote lines of a wanted SKU: the units its flash sale still gives this buyer at the
    flash price, the rest at the regular price, with a note saying why."""
    sale, regular = unit.flash_sale, unit.regular
    if sale is None or regular is None:
        return [QuoteLine(sku, quantity, unit)]
    flash_units = min(quantity, allowances.get(sale.pk, 0))
    allowances[sale.pk] = allowances.get(sale.pk, 0) - flash_units
    note = "flash_limit" if sale.remaining > flash_units else "flash_sold_out"
    lines = [QuoteLine(sku, flash_units, unit)] if flash_units else []
    if quantity > flash_units:
        lines.append(
            QuoteLine(sku, quantity - flash_units, regular, flash_note=note, flash_sale=sale)
        )
    return lines


def quote_shops(
    wanted: dict[Shop, list[tuple[Sku, int]]],
    at: datetime,
    coupons: dict[int, Coupon] | None = None,
    had: FlashHistory = _nothing_had,
) -> list[ShopQuote]:
    """Price several shops' parts of a cart with a fixed number of queries, whatever its size;
    `had` tells what the buyer already has at flash prices (nothing, for a visitor)."""
    prices = unit_prices([sku for lines in wanted.values() for sku, _ in lines], at)
    allowances = flash_allowances(prices.values(), had)
    thresholds: dict[int, list[Threshold]] = {}
    running = _running(Threshold.objects.filter(shop__in=[s.pk for s in wanted]), at)
    for threshold in running.order_by("-amount_off"):
        thresholds.setdefault(threshold.shop_id, []).append(threshold)
    quotes = []
    for shop, lines in wanted.items():
        quote = ShopQuote(
            shop,
            [part for sku, qty in lines for part in _lines(sku, qty, prices[sku.pk], allowances)],
        )
        subtotal = quote.items_amount
        best = next((t for t in thresholds.get(shop.pk, []) if t.min_spend <= subtotal), None)
        if best is not None:
            quote.threshold = best
            quote.threshold_amount = min(best.amount_off, subtotal - MIN_TOTAL)
        coupon = (coupons or {}).get(shop.pk)
        if coupon is not None:
            _apply_coupon(quote, coupon, at)
        _share_discount(quote)
        quotes.append(quote)
    return quotes


def _apply_coupon(quote: ShopQuote, coupon: Coupon, at: datetime) -> None:
    batch = coupon.batch
    remaining = quote.items_amount - quote.threshold_amount
    if batch.shop_id != quote.shop.pk or coupon.used_at is not None or not batch.is_running(at):
        quote.notes.append("coupon_not_usable")
        return
    if remaining < batch.min_spend:
        quote.notes.append("coupon_min_spend")
        return
    quote.coupon = coupon
    quote.coupon_amount = max(ZERO, min(batch.amount_off, remaining - MIN_TOTAL))


def _share_discount(quote: ShopQuote) -> None:
    """Split order-level savings over lines by amount; the last line takes the rounding rest."""
    total_discount = quote.discount_amount
    base = quote.items_amount
    if total_discount == 0 or base == 0:
        return
    given = ZERO
    for line in quote.lines[:-1]:
        share = min(line.amount, to_cents(total_discount * line.amount / base))
        line.discount_share = share
        given += share
    quote.lines[-1].discount_share = total_discount - given
