"""A seller's shop and the categories the seller arranges its items in."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Shop(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        # By the operator, for a broken rule; only the operator reopens it.
        SUSPENDED = "suspended", _("suspended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shop"
    )
    name = models.CharField(_("shop name"), max_length=60, unique=True)
    slug = models.SlugField(max_length=70, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    logo_key = models.CharField(max_length=64, blank=True, help_text=_("stored image key"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """Only an open shop's items can be found, opened, carted and bought."""
        return self.status == self.Status.OPEN

    def logo_url(self, width: int = 240) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.logo_key, width) if self.logo_key else ""


class ShopCategory(models.Model):
    """The shop's own grouping of its items ("New arrivals", "Summer"), separate from the platform tree."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="shop_category_name_unique")
        ]
        verbose_name = _("shop category")
        verbose_name_plural = _("shop categories")

    def __str__(self) -> str:
        return self.name
