"""A third-party app registered by a developer (also the OAuth 2.0 client) and the developer's sandbox."""

import uuid

from django.conf import settings
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
    # Secret rotation: the hash of the secret that was replaced keeps working until this moment,
    # so a developer can roll the new secret out to every server without downtime.
    previous_secret_hash = models.CharField(max_length=255, blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, default=None)
    # The current secret encrypted with a key derived from SECRET_KEY (the hash above cannot sign):
    # the market signs embedded-app session tokens with it. Empty for apps made before sealing.
    sealed_secret = models.TextField(blank=True, default="", editable=False)

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("app")
        verbose_name_plural = _("apps")

    @property
    def scope_list(self) -> list[str]:
        return self.requested_scopes.split()

    @property
    def redirect_uri_list(self) -> list[str]:
        return self.redirect_uris.split()

    def redirect_uri_allowed(self, uri: str) -> bool:
        # Simple string comparison (RFC 9700 §4.1.3): django-oauth-toolkit would accept any port
        # on a loopback redirect (RFC 8252 §7.3); we register every URI exactly, port included.
        return uri in self.redirect_uri_list


class DeveloperSandbox(models.Model):
    """A developer's test shop, owned by a separate seller account the developer can act as."""

    developer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox"
    )
    seller = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_of"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("developer sandbox")
        verbose_name_plural = _("developer sandboxes")

    def __str__(self) -> str:
        return f"sandbox of {self.developer}"


class InstallationQuerySet(models.QuerySet["Installation"]):
    def active(self) -> "InstallationQuerySet":
        """Installations not uninstalled: the apps a shop has now."""
        return self.filter(uninstalled_at__isnull=True)


class Installation(models.Model):
    """An app installed on a shop: the seller granted it these scopes. One row per (app, shop);
    an uninstall keeps the row (with `uninstalled_at`) so a later re-install is the same row."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="installations")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="installations")
    scopes = models.CharField(max_length=500, blank=True, default="")
    installed_at = models.DateTimeField()
    uninstalled_at = models.DateTimeField(null=True, blank=True)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["app", "shop"], name="installation_once_per_shop")
        ]
        indexes = [models.Index(fields=["shop", "uninstalled_at"], name="installation_active")]

    def __str__(self) -> str:
        return f"{self.app} on {self.shop}"

    @property
    def active(self) -> bool:
        return self.uninstalled_at is None

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
