"""A third-party app registered by a developer; it is also the OAuth 2.0 client."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication


class App(AbstractApplication):
    """An ISV's app. django-oauth-toolkit uses it as its application (client) model."""

    class Tier(models.TextChoices):
        FREE = "free", _("free")
        STANDARD = "standard", _("standard")
        PREMIUM = "premium", _("premium")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook_url = models.URLField(_("webhook URL"), blank=True, max_length=500)
    requested_scopes = models.CharField(
        _("requested scopes"), max_length=500, blank=True, help_text=_("space-separated")
    )
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.FREE)

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("app")
        verbose_name_plural = _("apps")
