"""Reviews: list and reply."""

import pytest

from emporium.api.tests.conftest import error_of
from emporium.community.reviews import write_review


@pytest.fixture
def review(item, order_in, funded_buyer):
    order = order_in(item.skus.first(), "settled")
    return write_review(funded_buyer, order.lines.get(), 4, "Lovely fabric")


def test_it_lists_reviews_with_the_buyers_name_only(seller_api, review, funded_buyer):
    body = seller_api.get("/reviews").json()
    row = body["data"][0]
    assert (row["id"], row["stars"], row["text"], row["buyer_name"]) == (
        str(review.public_id), 4, "Lovely fabric", "Bob Buyer",
    )  # fmt: skip
    assert funded_buyer.email not in str(body)
    assert seller_api.get("/reviews", {"replied": "true"}).json()["data"] == []


def test_the_seller_replies_once(seller_api, review):
    body = seller_api.post(f"/reviews/{review.public_id}/reply", {"reply": "Thank you!"}).json()
    assert body["reply"] == "Thank you!" and body["replied_at"]
    error_of(
        seller_api.post(f"/reviews/{review.public_id}/reply", {"reply": "Again"}),
        409,
        "already_replied",
    )
    assert [r["id"] for r in seller_api.get("/reviews", {"replied": "true"}).json()["data"]] == [
        str(review.public_id)
    ]


def test_an_empty_reply_names_the_field(seller_api, review):
    assert (
        error_of(
            seller_api.post(f"/reviews/{review.public_id}/reply", {"reply": "  "}),
            422,
            "reply_required",
        )["field"]
        == "reply"
    )
    review.refresh_from_db()
    assert review.reply == ""


def test_another_shop_cannot_reply(other_api, review, other_shop):
    error_of(
        other_api.post(f"/reviews/{review.public_id}/reply", {"reply": "Mine now"}),
        404,
        "not_found",
    )
