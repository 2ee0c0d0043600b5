"""Buyers' reviews of what they bought, the seller's replies, and questions about items."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.catalog.models import Item
from emporium.shops.models import Shop


class Review(models.Model):
    """One review per order line, written after the order completed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order_line = models.OneToOneField(
        "trade.OrderLine", on_delete=models.PROTECT, related_name="review"
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="reviews")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("review"), max_length=2000, blank=True)
    reply = models.TextField(_("seller's reply"), max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["item", "-created_at"], name="review_item")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"
            )
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.stars}★ {self.item_id}"

    @property
    def reviewer(self) -> str:
        """The buyer's name as shoppers see it: masked, as marketplaces do (B***b, 王***明)."""
        return mask_name(str(self.buyer))

    @property
    def credit_rating(self) -> str:
        """Four or five stars count as positive, three neutral, one or two negative."""
        return "positive" if self.stars >= 4 else "neutral" if self.stars == 3 else "negative"


class ReviewPicture(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pictures")
    key = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.key

    @property
    def thumb_url(self) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.key, 240)

    @property
    def large_url(self) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.key, 1200)


class Question(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:40]


def mask_name(name: str) -> str:
    """First and last character with *** between; a one-character name becomes "*"."""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    return f"{name[0]}***{name[-1]}"
