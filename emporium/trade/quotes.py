"""Price a cart the way checkout will: one quote per shop, from the one pricing function."""

from collections import defaultdict
from collections.abc import Iterable

from emporium.lib import clock
from emporium.members.models import Member
from emporium.promotions.models import Coupon
from emporium.promotions.pricing import ShopQuote, quote_shops
from emporium.trade.models import Cart, CartLine


def cart_quotes(cart: Cart | None, coupons: dict[int, Coupon] | None = None) -> list[ShopQuote]:
    """Quotes for the cart's lines grouped by shop, in the order the lines were added; a closed
    shop's lines are left out (nothing of it can be bought)."""
    if cart is None:
        return []
    lines = CartLine.objects.filter(cart=cart).select_related(
        "sku__item__shop", "sku__item__category"
    )
    by_shop: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines.order_by("added_at", "id"):
        if line.sku.item.shop.is_open:
            by_shop[line.sku.item.shop_id].append(line)
    wanted = {
        group[0].sku.item.shop: [(x.sku, x.quantity) for x in group] for group in by_shop.values()
    }
    return quote_shops(wanted, clock.now(), coupons)


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
