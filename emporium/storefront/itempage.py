"""What the item page shows: the item's own rows, read by queries compiled once per process; its
shop's offers and rating, the prices under the offers, the item's stars; the shop's parts shared
between the pages of its items."""

import uuid
from typing import Any

from django.db.models import Count, F
from django.http import Http404, HttpRequest

from emporium.catalog.models import Item, ItemImage, Sku
from emporium.community import reviews
from emporium.community.models import Question, Review
from emporium.lib import clock
from emporium.market import item_blocks
from emporium.promotions.activities import running_activities
from emporium.promotions.pricing import UnitPrice, unit_prices
from emporium.shops.models import Shop
from emporium.storefront.compiled import Compiled
from emporium.storefront.shared import shared_part

# The item page's own queries, compiled once per process and connection (the ORM building their
# SQL was about half of a first visit's CPU): only the item's public id or id changes.
_ITEM = Compiled(
    lambda public_id: (
        Item.objects.visible()
        # Of the shop's owner the page shows only the credit badge: one column, not a member.
        .select_related("shop", "category__parent")
        .annotate(
            may_have_blocks=item_blocks.may_have_blocks(),
            owner_credit_points=F("shop__owner__credit_points"),
        )
        .filter(public_id=public_id)
        .order_by()
    ),
    Item._meta.get_field("public_id"),
    sentinel=uuid.UUID(int=0xC0DE),
)
_SKUS = Compiled(lambda item_id: Sku.objects.filter(item=item_id), Sku._meta.get_field("item"))
_PICTURES = Compiled(
    lambda item_id: ItemImage.objects.filter(item=item_id), ItemImage._meta.get_field("item")
)
# The page shows a question's text and answer, never who asked: no join to members.
_QUESTIONS = Compiled(
    lambda item_id: Question.objects.filter(item=item_id)[:10], Question._meta.get_field("item")
)
_STARS = Compiled(
    lambda item_id: (
        Review.objects.filter(item=item_id)
        .order_by()
        .values_list("stars")
        .annotate(n=Count("id"))
        .values_list("stars", "n")
    ),
    Review._meta.get_field("item"),
)


def visible_item(public_id: uuid.UUID) -> Item:
    """The item on sale in an open shop, with its shop and category (and the category's parent),
    whether its shop places app blocks, and its owner's credit points; else 404."""
    found = _ITEM.objects(public_id)
    if not found:
        raise Http404("No Item matches the given query.")
    return found[0]


def item_skus(item: Item) -> list[Sku]:
    """As `item.skus.all()`: in the seller's order, each knowing its item."""
    return _SKUS.objects(item.pk, parent=item)


def item_pictures(item: Item) -> list[ItemImage]:
    return _PICTURES.objects(item.pk, parent=item)


def item_questions(item: Item) -> list[Question]:
    """The last ten questions, newest first."""
    return _QUESTIONS.objects(item.pk, parent=item)


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
    found = dict(_STARS.rows(item_id))
    per_star = [(n, found.get(n, 0)) for n in range(5, 0, -1)]
    count = sum(k for _, k in per_star)
    average = sum(n * k for n, k in per_star) / count if count else 0
    return {"average": round(average, 1), "count": count, "stars": per_star}
