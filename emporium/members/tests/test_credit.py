"""Seller credit: ratings move the points once per rated source, and points map to levels."""

import pytest

from emporium.members.credit import level_for, record_rating


@pytest.mark.parametrize(
    ("points", "number", "tier", "symbols"),
    [
        (-3, 0, "", 0),
        (0, 0, "", 0),
        (3, 0, "", 0),
        (4, 1, "heart", 1),
        (10, 1, "heart", 1),
        (11, 2, "heart", 2),
        (250, 5, "heart", 5),
        (251, 6, "diamond", 1),
        (10_001, 11, "crown", 1),
        (500_001, 16, "golden crown", 1),
        (99_000_000, 20, "golden crown", 5),
    ],
)
def test_points_map_to_the_level_ladder(points, number, tier, symbols):
    level = level_for(points)
    assert (level.number, level.tier, level.symbols, level.points) == (
        number,
        tier,
        symbols,
        points,
    )


def test_ratings_add_and_remove_points(seller):
    assert record_rating(seller, "positive", "order:1")
    assert record_rating(seller, "positive", "order:2")
    assert record_rating(seller, "negative", "order:3")
    assert record_rating(seller, "neutral", "order:4")
    seller.refresh_from_db()
    assert seller.credit_points == 1
    assert seller.credit_records.count() == 4


def test_the_same_order_is_counted_once(seller):
    assert record_rating(seller, "positive", "order:1")
    assert not record_rating(seller, "positive", "order:1")
    seller.refresh_from_db()
    assert seller.credit_points == 1


def test_an_unknown_rating_is_refused(seller):
    with pytest.raises(ValueError):
        record_rating(seller, "superb", "order:9")
    seller.refresh_from_db()
    assert seller.credit_points == 0
