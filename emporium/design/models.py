"""A shop's home-page design: the draft, the published versions, and publishing on a schedule."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.shops.models import Shop


def _empty() -> dict:
    return {"sections": []}


class ShopDesign(models.Model):
    """One per shop. Its row is the lock every publish of the shop takes, manual or scheduled."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="design")
    draft = models.JSONField(default=_empty)
    draft_updated_at = models.DateTimeField(null=True, blank=True)
    live = models.ForeignKey(
        "DesignVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When a person last published (publish or rollback): a schedule made before it yields.
    manual_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shop design")
        verbose_name_plural = _("shop designs")

    def __str__(self) -> str:
        return f"design of {self.shop_id}"


class DesignVersion(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("published")
        ROLLBACK = "rollback", _("rolled back")
        SCHEDULED = "scheduled", _("published on schedule")
        SCHEDULE_END = "schedule_end", _("restored after a schedule")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="design_versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    source = models.CharField(max_length=20, choices=Source.choices)
    rolled_back_from = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="design_version_number_unique")
        ]
        verbose_name = _("design version")
        verbose_name_plural = _("design versions")

    def __str__(self) -> str:
        return f"version {self.number}"


class DesignSchedule(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        LIVE = "live", _("live")
        DONE = "done", _("done")
        SUPERSEDED = "superseded", _("not published: a newer manual publish")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="design_schedules")
    document = models.JSONField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    went_live_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    version = models.ForeignKey(
        DesignVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was live just before it went live (None: no design), restored at ends_at.
    revert_document = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="design_schedule_due")]
        verbose_name = _("design schedule")
        verbose_name_plural = _("design schedules")

    def __str__(self) -> str:
        return f"schedule {self.public_id}"
