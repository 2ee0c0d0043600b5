"""Reviews after completion move the seller's credit once; replies and Q&A belong to the shop."""

from pathlib import Path

import pytest

from emporium.community import reviews
from emporium.community.models import Review
from emporium.conftest import picture_bytes
from emporium.trade import orders
from emporium.trade.states import TradeError


@pytest.fixture
def completed_line(funded_buyer, shop, make_item, address):
    (order,) = orders.checkout(funded_buyer, address, [(make_item(shop).skus.get(), 1)])
    orders.pay(funded_buyer, [order])
    orders.ship(order, "SF", "SF1")
    orders.confirm_receipt(order)
    return order.lines.get()


def upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, picture_bytes(), content_type="image/png")


def test_a_review_with_pictures_moves_the_sellers_credit_once(
    completed_line, funded_buyer, seller, shop
):
    review = reviews.write_review(
        funded_buyer, completed_line, 5, "Lovely fabric", pictures=[upload()]
    )
    seller.refresh_from_db()
    assert seller.credit_points == 1
    assert review.pictures.count() == 1
    with pytest.raises(TradeError) as twice:
        reviews.write_review(funded_buyer, completed_line, 1, "Changed my mind")
    assert twice.value.code == "already_reviewed"
    seller.refresh_from_db()
    assert seller.credit_points == 1
    assert reviews.shop_rating(shop) == {"average": 5.0, "count": 1}


@pytest.mark.parametrize(("stars", "points"), [(3, 0), (2, -1)])
def test_neutral_and_negative_reviews(completed_line, funded_buyer, seller, stars, points):
    reviews.write_review(funded_buyer, completed_line, stars)
    seller.refresh_from_db()
    assert seller.credit_points == points


def test_an_unfinished_order_cannot_be_reviewed(funded_buyer, shop, make_item, address):
    (order,) = orders.checkout(funded_buyer, address, [(make_item(shop).skus.get(), 1)])
    with pytest.raises(TradeError) as refused:
        reviews.write_review(funded_buyer, order.lines.get(), 5)
    assert refused.value.code == "not_reviewable"


def test_bad_stars_or_a_bad_picture_save_nothing(completed_line, funded_buyer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(TradeError):
        reviews.write_review(funded_buyer, completed_line, 6)
    fake = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(ValueError):
        reviews.write_review(funded_buyer, completed_line, 5, pictures=[fake])
    assert not Review.objects.exists()


def test_only_the_shops_seller_replies_once(completed_line, funded_buyer, seller, other_seller):
    review = reviews.write_review(funded_buyer, completed_line, 4, "Good")
    with pytest.raises(TradeError, match="another shop"):
        reviews.reply(review, other_seller, "Thanks!")
    reviews.reply(review, seller, "Thank you!")
    with pytest.raises(TradeError, match="already replied"):
        reviews.reply(review, seller, "Again")


def test_questions_are_answered_by_the_seller(item, buyer, seller, other_seller):
    question = reviews.ask(buyer, item, "Is it lined?")
    with pytest.raises(TradeError):
        reviews.answer(question, other_seller, "Yes")
    reviews.answer(question, seller, "Yes, fully lined.")
    question.refresh_from_db()
    assert question.answer == "Yes, fully lined." and question.answered_at is not None


def test_a_refused_review_leaves_no_picture_on_disk(completed_line, funded_buyer, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reviews.write_review(funded_buyer, completed_line, 5, "First", pictures=[upload()])
    pictures = Path(settings.MEDIA_ROOT) / "pictures"
    before = sorted(pictures.rglob("*"))
    another = SimpleUploadedFile(
        "other.png", picture_bytes(colour=(10, 200, 90)), content_type="image/png"
    )
    with pytest.raises(TradeError, match="already reviewed"):
        reviews.write_review(funded_buyer, completed_line, 4, "Again", pictures=[another])
    assert sorted(pictures.rglob("*")) == before
