"""Reviews: list the shop's reviews and reply to one."""

from uuid import UUID

from django.db.models import QuerySet
from ninja import Field, Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import not_found
from emporium.api.pagination import paginate
from emporium.api.schemas.common import PageQuery
from emporium.api.schemas.reviews import ReplyIn
from emporium.community import reviews
from emporium.community.models import Review
from emporium.resources.common import Page
from emporium.resources.reviews import ReviewOut, review_out
from emporium.shops.models import Shop

router = Router(tags=["reviews"])


class ReviewFilter(PageQuery):
    replied: bool | None = Field(None, description="true: only answered; false: only unanswered")
    item_id: UUID | None = None


def reviews_of(shop: Shop) -> QuerySet[Review]:
    return (
        Review.objects.filter(shop=shop)
        .select_related("item", "shop", "buyer", "order_line__order")
        .prefetch_related("pictures")
    )


@router.get("", response=Page[ReviewOut], auth=Scoped("reviews:read"))
def list_reviews(request: ApiRequest, filters: Query[ReviewFilter]) -> dict:
    """Reviews of the shop's items, newest first."""
    found = reviews_of(request.auth.acting_for)
    if filters.replied is not None:
        found = found.exclude(reply="") if filters.replied else found.filter(reply="")
    if filters.item_id:
        found = found.filter(item__public_id=filters.item_id)
    rows, cursor = paginate(found, filters, key="created_at", descending=True, name="reviews")
    return {"data": [review_out(r) for r in rows], "next_cursor": cursor}


@router.post("/{review_id}/reply", response=ReviewOut, auth=Scoped("reviews:write"))
def reply_to_review(request: ApiRequest, review_id: UUID, payload: ReplyIn) -> ReviewOut:
    """The seller's one public reply; a second one is refused (409 already_replied)."""
    review = reviews_of(request.auth.acting_for).filter(public_id=review_id).first()
    if review is None:
        raise not_found()
    return review_out(reviews.reply(review, request.auth.user, payload.reply))
