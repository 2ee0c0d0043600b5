"""Sellers rate (1–5) and review the apps their shop has installed."""

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from emporium.lib import clock
from emporium.market.billing import BillingError
from emporium.market.installs import active_installation
from emporium.market.models import Listing, Review
from emporium.shops.models import Shop

MAX_BODY = 2000


def check_rating(raw) -> int:
    try:
        rating = int(raw)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise BillingError(_("Give 1 to 5 stars."), "bad_rating", "rating")
    return rating


@transaction.atomic
def review_app(shop: Shop, listing: Listing, rating, body: str = "") -> Review:
    """One review per shop; writing again replaces it. Only a shop that has the app installed."""
    if active_installation(listing.app, shop) is None:
        raise BillingError(
            _("Only shops that have installed this app can review it."), "not_installed", status=403
        )
    if shop.owner_id == listing.app.user_id:
        # A developer's own shop (their test shop, say) would make the app's rating theirs.
        raise BillingError(_("You cannot review your own app."), "own_app", status=403)
    rating = check_rating(rating)
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise BillingError(
            _("A review has at most %(n)s characters.") % {"n": MAX_BODY}, "too_long", "body"
        )
    now = clock.now()
    review, _created = Review.objects.update_or_create(
        listing=listing,
        shop=shop,
        defaults={"rating": rating, "body": body, "updated_at": now},
        create_defaults={"rating": rating, "body": body, "updated_at": now, "created_at": now},
    )
    totals = Review.objects.filter(listing=listing).aggregate(n=Count("id"), total=Sum("rating"))
    Listing.objects.filter(pk=listing.pk).update(
        rating_count=totals["n"], rating_total=totals["total"] or 0
    )
    return review
