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
    # A buyer account of the sandbox with a funded wallet and an address: it sees and buys the
    # sandbox shop's items (which real buyers never see), so buyer apps and order webhooks can
    # be tried without real people. Null for sandboxes made before it existed, until next used.
    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sandbox_buyer_of",
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


def new_buyer_id() -> str:
    # The pairwise id an app knows a buyer by: random, so two apps cannot match their buyers.
    import secrets

    return "byr_" + secrets.token_hex(12)


class BuyerGrantQuerySet(models.QuerySet["BuyerGrant"]):
    def active(self) -> "BuyerGrantQuerySet":
        return self.filter(revoked_at__isnull=True)


class BuyerGrant(models.Model):
    """A buyer authorized an app for themselves (not for a shop). One row per (member, app);
    a revocation keeps the row, so authorizing again gives the app the same pairwise id."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_grants"
    )
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="buyer_grants")
    buyer_id = models.CharField(max_length=40, unique=True, default=new_buyer_id, editable=False)
    scopes = models.CharField(max_length=500, blank=True, default="")
    # What the app may have paid without asking, per day (0: every payment is confirmed).
    spending_limit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = BuyerGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "app"], name="buyer_grant_once_per_app")
        ]
        verbose_name = _("buyer authorization")
        verbose_name_plural = _("buyer authorizations")

    def __str__(self) -> str:
        return f"{self.app} for {self.member}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class AppOrder(models.Model):
    """An order a buyer app placed for its buyer: its buyer-side events go to that app."""

    order = models.OneToOneField("trade.Order", on_delete=models.CASCADE, related_name="placed_by")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="placed_orders")
    placed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.order_id} by {self.app}"


class PaymentRequest(models.Model):
    """A buyer app asked for an order to be paid: paid at once inside the buyer's daily limit
    for the app, otherwise waiting until the buyer confirms it on the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for your confirmation")
        PAID = "paid", _("paid")
        DECLINED = "declined", _("declined")
        VOID = "void", _("no longer payable")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="payment_requests")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_payment_requests"
    )
    order = models.ForeignKey(
        "trade.Order", on_delete=models.CASCADE, related_name="payment_requests"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    within_limit = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["buyer", "app", "status"], name="payreq_buyer_app")]

    def __str__(self) -> str:
        return f"{self.app} asks {self.amount} for {self.order_id}"
