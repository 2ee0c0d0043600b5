"""What the item page shows beside the item: its shop's offers and rating, the prices under the
offers, the item's stars; the shop's parts shared between the pages of its items."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from emporium.catalog.models import Sku
from emporium.community import reviews
from emporium.community.models import Review
from emporium.lib import clock
from emporium.promotions.activities import running_activities
from emporium.promotions.pricing import UnitPrice, unit_prices
from emporium.shops.models import Shop
from emporium.storefront.shared import shared_part


def shop_activities(request: HttpRequest, shop: Shop) -> dict[str, Any]:
    """What the shop runs now. The same for every anonymous visitor, so shared between the
    pages of the shop's items (four queries each otherwise); a member's own (which coupons they
    claimed) is theirs alone."""
    if request.user.is_authenticated:
        return running_activities(shop, viewer=request.user)
    return shared_part(request, f"activities:{shop.pk}", lambda: running_activities(shop))


def item_offers(skus: list[Sku], activities: dict[str, Any]) -> dict[int, UnitPrice]:
    """Each SKU's price now. Only a running discount or flash sale of the item's own shop can
    lower it (promotions.activities refuses another shop's items), so without one the list
    prices stand and the two queries of unit_prices are saved."""
    if activities["discounts"] or activities["flash_sales"]:
        return unit_prices(skus, clock.now())
    return {sku.pk: UnitPrice(sku.price, sku.price) for sku in skus}


def shop_rating(request: HttpRequest, shop: Shop) -> dict[str, Any]:
    """The shop's average stars and review count, shared like its activities."""
    return shared_part(request, f"rating:{shop.pk}", lambda: reviews.shop_rating(shop))


def item_rating(item_id: int) -> dict[str, Any]:
    """The item's average stars, count, and how many gave each number of stars: one small
    grouped query (reviews.item_and_shop_rating adds the shop's, which is shared here)."""
    found = dict(
        Review.objects.filter(item_id=item_id)
        .order_by()
        .values_list("stars")
        .annotate(n=Count("id"))
        .values_list("stars", "n")
    )
    per_star = [(n, found.get(n, 0)) for n in range(5, 0, -1)]
    count = sum(k for _, k in per_star)
    average = sum(n * k for n, k in per_star) / count if count else 0
    return {"average": round(average, 1), "count": count, "stars": per_star}
