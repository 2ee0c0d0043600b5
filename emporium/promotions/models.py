"""The four kinds of shop activity a seller can run; each is time-boxed."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.catalog.models import Item, Sku
from emporium.shops.models import Shop


class Activity(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_stopped = models.BooleanField(_("stopped by the seller"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.name

    def is_running(self, at) -> bool:
        return not self.is_stopped and self.starts_at <= at < self.ends_at


class Discount(Activity):
    """A percentage off chosen items for a while ("15% off summer dresses this week")."""

    percent_off = models.DecimalField(
        _("percent off"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("90"))],
    )
    items = models.ManyToManyField(Item, related_name="discounts")

    class Meta(Activity.Meta):
        verbose_name = _("item discount")
        verbose_name_plural = _("item discounts")


class Threshold(Activity):
    """Spend at least X in the shop, save Y ("spend 300, save 30")."""

    min_spend = models.DecimalField(_("minimum spend"), max_digits=10, decimal_places=2)
    amount_off = models.DecimalField(_("amount off"), max_digits=10, decimal_places=2)

    class Meta(Activity.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_off__gt=0)
                & models.Q(amount_off__lt=models.F("min_spend")),
                name="threshold_saves_less_than_spend",
            )
        ]
        verbose_name = _("spend-and-save")
        verbose_name_plural = _("spend-and-save offers")


class CouponBatch(Activity):
    """Shop coupons buyers claim (limited count, one each) and use on an order in the shop."""

    amount_off = models.DecimalField(_("amount off"), max_digits=10, decimal_places=2)
    min_spend = models.DecimalField(_("minimum spend"), max_digits=10, decimal_places=2, default=0)
    total_count = models.PositiveIntegerField(_("how many"))
    claimed_count = models.PositiveIntegerField(default=0)

    class Meta(Activity.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claimed_count__lte=models.F("total_count")),
                name="coupons_never_over_claimed",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_off__gt=0), name="coupon_amount_positive"
            ),
        ]
        verbose_name = _("coupon batch")
        verbose_name_plural = _("coupon batches")

    @property
    def remaining(self) -> int:
        return self.total_count - self.claimed_count


class Coupon(models.Model):
    batch = models.ForeignKey(CouponBatch, on_delete=models.CASCADE, related_name="coupons")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons"
    )
    claimed_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "buyer"], name="one_coupon_per_buyer")
        ]
        ordering = ["-claimed_at"]
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")

    def __str__(self) -> str:
        return f"{self.batch} → {self.buyer}"


class FlashSale(Activity):
    """A special price on one SKU with its own stock limit, first come first served."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="flash_sales")
    flash_price = models.DecimalField(_("flash price"), max_digits=10, decimal_places=2)
    stock_limit = models.PositiveIntegerField(_("units at this price"))
    sold_count = models.PositiveIntegerField(default=0)
    per_buyer_limit = models.PositiveIntegerField(_("per buyer"), default=1)

    class Meta(Activity.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sold_count__lte=models.F("stock_limit")),
                name="flash_sale_never_oversold",
            ),
            models.CheckConstraint(
                condition=models.Q(flash_price__gt=0), name="flash_price_positive"
            ),
        ]
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")

    @property
    def remaining(self) -> int:
        return self.stock_limit - self.sold_count
