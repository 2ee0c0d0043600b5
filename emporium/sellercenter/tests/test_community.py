"""Buyers' words in the seller center: replying to reviews and answering item questions."""

import pytest
from django.urls import reverse

from emporium.community import reviews
from emporium.community.models import Question, Review

from .helpers import settle

REVIEWS = reverse("sellercenter:reviews")
QUESTIONS = reverse("sellercenter:questions")


def reply_url(review: Review) -> str:
    return reverse("sellercenter:review_reply", args=[review.public_id])


def answer_url(question: Question) -> str:
    return reverse("sellercenter:question_answer", args=[question.pk])


@pytest.fixture
def review(paid_order, funded_buyer) -> Review:
    """Bob got his dress and gave it four stars."""
    settle(paid_order)
    return reviews.write_review(funded_buyer, paid_order.lines.get(), 4, "Lovely, a bit long")


@pytest.fixture
def question(item, buyer) -> Question:
    return reviews.ask(buyer, item, "Does it run small?")


def test_the_shops_reviews_are_listed_with_a_reply_box(seller_client, review):
    response = seller_client.get(REVIEWS)
    assert list(response.context["page"].object_list) == [review]
    page = response.content.decode()
    assert "Lovely, a bit long" in page and "★★★★<" in page
    assert reply_url(review) in page
    assert response.context["rating"] == {"average": 4.0, "count": 1}


def test_a_reply_is_saved_and_shown(seller_client, review):
    response = seller_client.post(reply_url(review), {"reply": " Thank you, Bob! "})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.reply == "Thank you, Bob!" and review.replied_at is not None
    page = seller_client.get(REVIEWS).content.decode()
    assert "Thank you, Bob!" in page and reply_url(review) not in page
    assert list(seller_client.get(REVIEWS, {"show": "waiting"}).context["page"].object_list) == []


def test_an_empty_reply_names_the_field(seller_client, review):
    response = seller_client.post(reply_url(review), {"reply": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reply": ["Write a reply."]}
    review.refresh_from_db()
    assert review.reply == ""


def test_a_second_reply_is_refused(seller_client, review):
    seller_client.post(reply_url(review), {"reply": "Thanks"})
    response = seller_client.post(reply_url(review), {"reply": "Thanks again"})
    assert response.context["form"].non_field_errors() == ["You have already replied."]
    review.refresh_from_db()
    assert review.reply == "Thanks"


def test_another_shops_review_is_not_found(seller_client, other_shop, make_item, buy, funded_buyer):
    order = settle(buy((make_item(other_shop, title="Otto's phone").skus.get(), 1)))
    theirs = reviews.write_review(funded_buyer, order.lines.get(), 1, "Broken")
    assert seller_client.post(reply_url(theirs), {"reply": "Sorry"}).status_code == 404
    assert seller_client.get(reply_url(theirs)).status_code == 404
    assert list(seller_client.get(REVIEWS).context["page"].object_list) == []
    theirs.refresh_from_db()
    assert theirs.reply == ""


def test_questions_are_listed_unanswered_ones_filterable(seller_client, question, item, buyer):
    answered = reviews.ask(buyer, item, "Is it lined?")
    reviews.answer(answered, item.shop.owner, "Yes, with cotton.")
    response = seller_client.get(QUESTIONS)
    assert set(response.context["page"].object_list) == {question, answered}
    assert "Yes, with cotton." in response.content.decode()
    waiting = seller_client.get(QUESTIONS, {"show": "waiting"})
    assert list(waiting.context["page"].object_list) == [question]


def test_an_answer_is_saved(seller_client, question):
    response = seller_client.post(answer_url(question), {"answer": "True to size."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "True to size." and question.answered_at is not None


def test_an_empty_answer_names_the_field(seller_client, question):
    response = seller_client.post(answer_url(question), {"answer": ""})
    assert response.context["form"].errors == {"answer": ["Write an answer."]}
    question.refresh_from_db()
    assert question.answer == ""


def test_another_shops_question_is_not_found(seller_client, other_shop, make_item, buyer):
    theirs = reviews.ask(buyer, make_item(other_shop, title="Otto's phone"), "5G?")
    assert seller_client.post(answer_url(theirs), {"answer": "Yes"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.answer == ""
    assert list(seller_client.get(QUESTIONS).context["page"].object_list) == []
