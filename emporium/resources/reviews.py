"""Buyers' reviews of the shop's items and the seller's replies."""

from uuid import UUID

from ninja import Field, Schema

from emporium.community.models import Review
from emporium.resources.common import UtcDatetime
from emporium.resources.links import picture_url
from emporium.resources.orders import customer_id


class ReviewOut(Schema):
    id: UUID
    item_id: UUID
    order_id: UUID
    customer_id: UUID
    buyer_name: str
    stars: int = Field(ge=1, le=5)
    text: str
    picture_urls: list[str]
    reply: str = Field(description="empty until the seller replies")
    replied_at: UtcDatetime | None
    created_at: UtcDatetime


def review_out(review: Review) -> ReviewOut:
    """Expects item, shop, buyer, order line's order and pictures loaded (routes.reviews)."""
    return ReviewOut(
        id=review.public_id,
        item_id=review.item.public_id,
        order_id=review.order_line.order.public_id,
        customer_id=customer_id(review.shop, review.buyer.public_id),
        buyer_name=str(review.buyer),
        stars=review.stars,
        text=review.text,
        picture_urls=[picture_url(p.key, 1200) for p in review.pictures.all()],
        reply=review.reply,
        replied_at=review.replied_at,
        created_at=review.created_at,
    )
