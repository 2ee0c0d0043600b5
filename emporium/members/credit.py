"""Seller credit: points from buyers' ratings, shown as levels (hearts, diamonds, crowns)."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from emporium.members.models import CreditRecord, Member

POINTS = {
    CreditRecord.Rating.POSITIVE: 1,
    CreditRecord.Rating.NEUTRAL: 0,
    CreditRecord.Rating.NEGATIVE: -1,
}

# (lowest points, tier, symbols): the classic marketplace ladder of 20 levels.
LEVELS: list[tuple[int, str, int]] = [
    (4, "heart", 1), (11, "heart", 2), (41, "heart", 3), (91, "heart", 4), (151, "heart", 5),
    (251, "diamond", 1), (501, "diamond", 2), (1001, "diamond", 3), (2001, "diamond", 4),
    (5001, "diamond", 5),
    (10001, "crown", 1), (20001, "crown", 2), (50001, "crown", 3), (100001, "crown", 4),
    (200001, "crown", 5),
    (500001, "golden crown", 1), (1000001, "golden crown", 2), (2000001, "golden crown", 3),
    (5000001, "golden crown", 4), (10000001, "golden crown", 5),
]  # fmt: skip


@dataclass(frozen=True)
class CreditLevel:
    number: int  # 0 for a new seller, then 1..20
    tier: str  # "", heart, diamond, crown, golden crown
    symbols: int  # how many of the tier's symbol to draw
    points: int


def level_for(points: int) -> CreditLevel:
    """The level a seller with `points` credit stands at."""
    current = CreditLevel(0, "", 0, points)
    for number, (lowest, tier, symbols) in enumerate(LEVELS, start=1):
        if points < lowest:
            break
        current = CreditLevel(number, tier, symbols, points)
    return current


def record_rating(seller: Member, rating: str, source: str) -> bool:
    """Apply a buyer's rating to the seller's credit once per source; False if already counted."""
    points = POINTS[CreditRecord.Rating(rating)]
    try:
        with transaction.atomic():
            CreditRecord.objects.create(seller=seller, rating=rating, points=points, source=source)
            Member.objects.filter(pk=seller.pk).update(credit_points=F("credit_points") + points)
    except IntegrityError:
        return False
    seller.refresh_from_db(fields=["credit_points"])
    return True
