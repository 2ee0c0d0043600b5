"""Members, their shipping addresses and the seller credit record."""

import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value})


# The Django plugin of mypy cannot resolve the reverse of App.user (django-oauth-toolkit names
# it "%(app_label)s_%(class)s" on an abstract model with its own manager); nothing uses it.
class Member(AbstractUser):  # type: ignore[django-manager-missing]
    """One account: every member can buy; opening a shop makes a seller; a flag makes a developer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    is_developer = models.BooleanField(_("developer"), default=False)
    # Seller credit, denormalised from CreditRecord rows so listing pages need no aggregate.
    credit_points = models.IntegerField(_("credit points"), default=0)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_seller(self) -> bool:
        return hasattr(self, "shop")


class Address(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(_("recipient"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30)
    province = models.CharField(_("province"), max_length=40)
    city = models.CharField(_("city"), max_length=40)
    district = models.CharField(_("district"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.recipient}, {self.province} {self.city} {self.street}"


class CreditRecord(models.Model):
    """One rating's effect on a seller's credit: +1 positive, 0 neutral, -1 negative."""

    class Rating(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEUTRAL = "neutral", _("neutral")
        NEGATIVE = "negative", _("negative")

    seller = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="credit_records")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    points = models.SmallIntegerField()
    source = models.CharField(max_length=80, help_text=_("what was rated, e.g. order:<id>"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "source"], name="one_credit_record_per_source"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.seller} {self.rating} ({self.source})"
