"""Writing reviews (which move the seller's credit), replying to them, and item Q&A."""

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.community.models import Question, Review, ReviewPicture
from emporium.lib import clock
from emporium.members.credit import record_rating
from emporium.trade.models import Order, OrderLine
from emporium.trade.states import TradeError

MAX_REVIEW_PICTURES = 5
REVIEWABLE = (Order.Status.COMPLETED, Order.Status.SETTLED)


@transaction.atomic
def write_review(buyer, line: OrderLine, stars: int, text: str = "", pictures=()) -> Review:
    order = line.order
    if order.buyer_id != buyer.pk:
        raise TradeError(_("That order is not yours."), code="not_yours")
    if order.status not in REVIEWABLE:
        raise TradeError(_("You can review once the order is complete."), code="not_reviewable")
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise TradeError(_("Give one to five stars."), code="bad_rating", field="stars")
    if len(pictures) > MAX_REVIEW_PICTURES:
        raise TradeError(
            _("At most %(n)s pictures.") % {"n": MAX_REVIEW_PICTURES}, "too_many", "pictures"
        )
    # Pictures are checked first and written to disk last, once nothing can refuse the review:
    # a refused review leaves no file behind.
    checked = [read_upload(upload) for upload in pictures]
    try:
        with transaction.atomic():
            review = Review.objects.create(
                order_line=line, item_id=line.item_id, shop_id=order.shop_id, buyer=buyer,
                stars=stars, text=text.strip()[:2000], created_at=clock.now(),
            )  # fmt: skip
    except IntegrityError:
        raise TradeError(_("You have already reviewed this."), code="already_reviewed") from None
    record_rating(order.shop.owner, review.credit_rating, source=f"review:{line.pk}")
    keys = [store_picture(picture) for picture in checked]
    ReviewPicture.objects.bulk_create(ReviewPicture(review=review, key=key) for key in keys)
    return review


def reply(review: Review, seller, text: str) -> Review:
    if review.shop.owner_id != seller.pk:
        raise TradeError(_("That review is of another shop."), code="not_yours")
    text = text.strip()
    if not text:
        raise TradeError(_("Write a reply."), code="reply_required", field="reply")
    if review.reply:
        raise TradeError(_("You have already replied."), code="already_replied")
    review.reply, review.replied_at = text[:1000], clock.now()
    review.save(update_fields=["reply", "replied_at"])
    return review


def ask(member, item, text: str) -> Question:
    text = text.strip()
    if not text:
        raise TradeError(_("Write your question."), code="question_required", field="text")
    return Question.objects.create(item=item, asker=member, text=text[:500], created_at=clock.now())


def answer(question: Question, seller, text: str) -> Question:
    if question.item.shop.owner_id != seller.pk:
        raise TradeError(_("That question is about another shop's item."), code="not_yours")
    text = text.strip()
    if not text:
        raise TradeError(_("Write an answer."), code="answer_required", field="answer")
    question.answer, question.answered_at = text[:1000], clock.now()
    question.save(update_fields=["answer", "answered_at"])
    return question


def item_and_shop_rating(item) -> tuple[dict, dict]:
    """The item's own stars (average, count, how many gave each number of stars) and its shop's
    (average, count), in one query: the item page shows both."""
    own = Q(item=item)
    totals = Review.objects.filter(shop_id=item.shop_id).aggregate(
        shop_average=Avg("stars"),
        shop_count=Count("id"),
        **{f"stars_{n}": Count("id", filter=own & Q(stars=n)) for n in range(1, 6)},
    )
    per_star = [(n, totals[f"stars_{n}"]) for n in range(5, 0, -1)]
    count = sum(k for _, k in per_star)
    average = sum(n * k for n, k in per_star) / count if count else 0
    item_rating = {"average": round(average, 1), "count": count, "stars": per_star}
    shop = {"average": round(totals["shop_average"] or 0, 1), "count": totals["shop_count"]}
    return item_rating, shop


def shop_rating(shop) -> dict:
    """Average stars and review count, for the shop page and item page."""
    summary = Review.objects.filter(shop=shop).aggregate(average=Avg("stars"), count=Count("id"))
    return {"average": round(summary["average"] or 0, 1), "count": summary["count"]}
