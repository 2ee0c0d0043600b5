"""A shop's picture space: pictures not tied to an item, in folders, counted against a quota."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.shops.models import Shop


class Picture(models.Model):
    """One upload; the files are the content-addressed WebP variants every picture has (`key`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="pictures")
    key = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=120, blank=True)
    folder = models.CharField(_("folder"), max_length=120, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField(help_text=_("bytes uploaded, counted in the quota"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "created_at", "id"], name="picture_shop_created"),
            models.Index(fields=["shop", "key"], name="picture_shop_key"),
        ]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.name or self.key
