"""Market listings and their plans, subscriptions, invoices, usage charges, reviews, blocks and payouts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from emporium.ecosystem.models import App, Installation


class Listing(models.Model):
    """What sellers see of an app in the market; visible once an operator approved it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Category(models.TextChoices):
        ANALYTICS = "analytics", _("Analytics")
        MARKETING = "marketing", _("Marketing")
        DESIGN = "design", _("Shop design")
        FINANCE = "finance", _("Finance & accounting")
        OPERATIONS = "operations", _("Orders & operations")
        BUYER = "buyer", _("Buyer experience")

    app = models.OneToOneField(App, on_delete=models.CASCADE, related_name="listing")
    name = models.CharField(_("name"), max_length=80)
    icon_key = models.CharField(max_length=64, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=140)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=140, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=5000)
    description_zh = models.TextField(_("description (Chinese)"), max_length=5000, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    scopes = models.CharField(_("required scopes"), max_length=500)
    install_url = models.URLField(_("install URL"), max_length=500, blank=True)
    # What the developer last saved; it reaches sellers only when a review copies it to live_app_url.
    app_url = models.URLField(_("admin page URL (embedded)"), max_length=500, blank=True)
    live_app_url = models.URLField(_("reviewed admin page URL"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Denormalised so the market's list pages sort and show them without aggregates.
    install_count = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("app listing")
        verbose_name_plural = _("app listings")
        indexes = [models.Index(fields=["status", "category"], name="listing_browse")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def live_plans(self) -> list["Plan"]:
        # Filtered in Python so a prefetch of `plans` serves it without another query.
        return [plan for plan in self.plans.all() if not plan.retired]

    @property
    def visible(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def rating(self) -> Decimal | None:
        if not self.rating_count:
            return None
        return (Decimal(self.rating_total) / self.rating_count).quantize(Decimal("0.1"))

    def _localised(self, en: str, zh: str) -> str:
        return zh if zh and (get_language() or "").startswith("zh") else en

    @property
    def summary(self) -> str:
        return self._localised(self.summary_en, self.summary_zh)

    @property
    def description(self) -> str:
        return self._localised(self.description_en, self.description_zh)

    def icon_url(self, width: int = 240) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.icon_key, width) if self.icon_key else ""


class Screenshot(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="screenshots")
    image_key = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.listing} screenshot {self.position}"

    def url(self, width: int = 1200) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.image_key, width)


class Plan(models.Model):
    """A way to pay for the app: free, a monthly price (maybe with trial days), or usage-based."""

    class Kind(models.TextChoices):
        FREE = "free", _("free")
        MONTHLY = "monthly", _("monthly")
        USAGE = "usage", _("usage-based")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(_("plan name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    price_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    trial_days = models.PositiveSmallIntegerField(default=0)
    unit_price_amount = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    unit_name = models.CharField(max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A plan an installation still uses is retired rather than deleted, so invoices keep it.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.listing} · {self.name}"


class Block(models.Model):
    """A piece of a shop or item page an app renders: its URL answers with HTML, shown in a sandbox.

    `url`, `placement` and `fullscreen` are what the developer last saved; the `live_*` fields are
    what an operator reviewed, and only they reach buyers and sellers (empty `live_url`: never
    reviewed, so nowhere to be seen)."""

    class Placement(models.TextChoices):
        SHOP = "shop", _("shop page")
        GALLERY = "gallery", _("item page, beside the gallery")
        BUY_BOX = "buybox", _("item page, under the buy box")
        DESCRIPTION = "description", _("item page, in the description")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="blocks")
    name = models.CharField(_("block name"), max_length=40)
    url = models.URLField(_("block URL"), max_length=500)
    placement = models.CharField(
        _("where"), max_length=12, choices=Placement.choices, default=Placement.SHOP
    )
    fullscreen = models.BooleanField(_("asks for full screen"), default=False)
    live_url = models.URLField(_("reviewed block URL"), max_length=500, blank=True)
    live_placement = models.CharField(
        max_length=12, choices=Placement.choices, default=Placement.SHOP
    )
    live_fullscreen = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.listing} · {self.name}"


class Subscription(models.Model):
    """The plan an installation pays for and where its billing stands."""

    class Status(models.TextChoices):
        TRIALING = "trialing", _("in trial")
        ACTIVE = "active", _("active")
        PAST_DUE = "past_due", _("payment failed")
        SUSPENDED = "suspended", _("suspended")
        CANCELLED = "cancelled", _("cancelled")

    installation = models.OneToOneField(
        Installation, on_delete=models.CASCADE, related_name="subscription"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices)
    trial_used = models.BooleanField(default=False)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    # The current period; a monthly plan's next charge falls due at its end.
    period_start = models.DateTimeField()
    period_end = models.DateTimeField(db_index=True)
    credit_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    usage_cap_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    past_due_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.installation} · {self.plan.name} ({self.status})"


class Invoice(models.Model):
    """One charge to a seller for an app (or a failed attempt still open), split with the developer."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("subscription")
        PRORATION = "proration", _("plan change")
        USAGE = "usage", _("usage")

    class Status(models.TextChoices):
        OPEN = "open", _("unpaid")
        PAID = "paid", _("paid")
        VOID = "void", _("void")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="invoices"
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="app_invoices")
    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=5, choices=Status.choices)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    commission_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    developer_amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField(null=True, blank=True)
    posting = models.OneToOneField(
        "finance.Posting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two workers charging the same month cannot both insert it: no double charge.
            models.UniqueConstraint(
                fields=["subscription", "period_start"],
                condition=Q(kind="subscription"),
                name="invoice_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.app} {self.kind} {self.amount}"


class UsageCharge(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="usage_charges"
    )
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="usage_charge")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    description = models.CharField(max_length=200)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.amount} {self.description}"


class Review(models.Model):
    """A seller's rating (1–5) of an app their shop installed; one per shop, editable."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reviews")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="app_reviews")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "shop"], name="review_once_per_shop"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.listing} by {self.shop}"


class BlockPlacement(models.Model):
    """A block a seller put on the shop page, in order."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="app_blocks")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "block"], name="block_placed_once_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.block} on {self.shop}"


class ItemBlockPlacement(models.Model):
    """An item-page block a seller turned on, for every item of the shop or for chosen ones."""

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="item_app_blocks")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="item_placements")
    all_items = models.BooleanField(default=True)
    items = models.ManyToManyField("catalog.Item", blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "block"], name="item_block_once_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.block} on the item pages of {self.shop}"


class ErasureNotice(models.Model):
    """`app.erasure_requested` sent for one uninstall; unique so two workers never send it twice."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    uninstalled_at = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "uninstalled_at"], name="erasure_once_per_uninstall"
            )
        ]

    def __str__(self) -> str:
        return f"erasure of {self.installation}"


class Payout(models.Model):
    """A developer's earnings paid out of the ISV payable account."""

    developer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="app_payouts"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    bank_account = models.CharField(max_length=60)
    posting = models.OneToOneField("finance.Posting", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")

    def __str__(self) -> str:
        return f"{self.developer} {self.amount}"
