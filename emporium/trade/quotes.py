"""Price a cart the way checkout will: one quote per shop, from the one pricing function."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from emporium.lib import clock
from emporium.members.models import Member
from emporium.promotions.models import Coupon
from emporium.promotions.pricing import FlashHistory, ShopQuote, quote_shops
from emporium.trade.models import CartLine, Order, OrderLine


def flash_units_had(buyer_id: int | None, sale_ids: list[int]) -> dict[int, int]:
    """Units the buyer has at each flash sale's price in orders not cancelled (an unpaid order
    holds its units until it is cancelled); one query."""
    if buyer_id is None or not sale_ids:
        return {}
    rows = (
        OrderLine.objects.filter(flash_sale_id__in=sale_ids, order__buyer_id=buyer_id)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("flash_sale_id")
        .annotate(units=Sum("quantity"))
        .values_list("flash_sale_id", "units")
    )
    return {sale_id: units for sale_id, units in rows}


def flash_history(buyer_id: int | None) -> FlashHistory:
    """What pricing asks about this buyer's flash-sale units (nothing, for a visitor)."""
    return lambda sale_ids: flash_units_had(buyer_id, sale_ids)


def lines_to_check_out(buyer: Member) -> list[CartLine]:
    """The buyer's cart lines in the order they were added, with what pricing and checkout read
    of each (SKU, item, shop, category); one query, the only read of the cart checkout needs."""
    lines = CartLine.objects.filter(cart__member=buyer).select_related(
        "sku__item__shop", "sku__item__category"
    )
    return list(lines.order_by("added_at", "id"))


def quote_lines(
    lines: list[CartLine], buyer_id: int | None, coupons: dict[int, Coupon] | None = None
) -> list[ShopQuote]:
    """Quotes for cart lines grouped by shop, in the order the lines were added; a closed shop's
    lines are left out (nothing of it can be bought)."""
    by_shop: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        if line.sku.item.shop.is_open:
            by_shop[line.sku.item.shop_id].append(line)
    wanted = {
        group[0].sku.item.shop: [(x.sku, x.quantity) for x in group] for group in by_shop.values()
    }
    return quote_shops(wanted, clock.now(), coupons, flash_history(buyer_id))


def usable_coupons(buyer: Member, shop_ids: Iterable[int]) -> dict[int, list[Coupon]]:
    """The buyer's unused coupons per shop whose batch is running now."""
    at = clock.now()
    found: dict[int, list[Coupon]] = defaultdict(list)
    coupons = Coupon.objects.filter(
        buyer=buyer, used_at__isnull=True, batch__shop_id__in=shop_ids, batch__is_stopped=False,
        batch__starts_at__lte=at, batch__ends_at__gt=at,
    ).select_related("batch")  # fmt: skip
    for coupon in coupons:
        found[coupon.batch.shop_id].append(coupon)
    return found


def best_coupons(
    lines: list[CartLine], buyer_id: int | None, options: dict[int, list[Coupon]]
) -> dict[int, Coupon]:
    """For each shop, the claimed coupon that saves the most on these cart lines: what checkout
    preselects (the buyer may change it). Ties go to the coupon that expires first."""
    if not any(options.values()):
        return {}
    best: dict[int, Coupon] = {}
    for quote in quote_lines(lines, buyer_id):
        remaining = quote.items_amount - quote.threshold_amount
        fits = [c for c in options.get(quote.shop.pk, []) if c.batch.min_spend <= remaining]
        if fits:
            best[quote.shop.pk] = max(
                fits,
                key=lambda c: (min(c.batch.amount_off, remaining), -c.batch.ends_at.timestamp()),
            )
    return best
