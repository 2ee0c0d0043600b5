"""The cart, orders with their lines and status log, and refunds."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.catalog.models import Sku
from emporium.lib.money import CURRENCY

MAX_CART_QUANTITY = 999


class Cart(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cart",
    )
    session_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(session_key__isnull=False),
                name="cart_has_an_owner",
            )
        ]
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart of {self.member or self.session_key}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="one_line_per_sku"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="cart_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku_id}"

    @property
    def subtotal(self) -> Decimal:
        return self.sku.price * self.quantity


class Order(models.Model):
    """One shop's part of a checkout; money for it sits in escrow from payment to settlement."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("awaiting payment")
        PAID = "paid", _("paid")
        SHIPPED = "shipped", _("shipped")
        COMPLETED = "completed", _("completed")
        SETTLED = "settled", _("settled")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=24, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    shop = models.ForeignKey("shops.Shop", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    currency = models.CharField(max_length=3, default=CURRENCY)
    items_amount = models.DecimalField(max_digits=12, decimal_places=2)
    discount_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    shipping_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    commission_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    promotions = models.JSONField(
        default=list, blank=True, help_text=_("what was applied, in order")
    )
    coupon = models.ForeignKey(
        "promotions.Coupon", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.JSONField(help_text=_("the shipping address as it was at checkout"))
    buyer_note = models.CharField(max_length=200, blank=True)
    seller_memo = models.CharField(max_length=500, blank=True)
    carrier = models.CharField(max_length=40, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # When the return window closed and the held commission became the platform's revenue.
    fee_settled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"], name="order_shop_status"),
            # GET /orders: a shop's page in (created_at, id) order, read without a sort.
            models.Index(fields=["shop", "-created_at", "-id"], name="order_shop_created"),
            models.Index(fields=["buyer", "-created_at"], name="order_buyer"),
            models.Index(fields=["status", "created_at"], name="order_sweep"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("total_amount")),
                name="order_refund_within_total",
            )
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    @property
    def escrow_amount(self) -> Decimal:
        """What this order still holds in escrow."""
        if self.status in (self.Status.PAID, self.Status.SHIPPED, self.Status.COMPLETED):
            return self.total_amount - self.refunded_amount
        return Decimal("0.00")


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.Item", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    sku_label = models.CharField(max_length=120, blank=True)
    list_price = models.DecimalField(max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(
        max_digits=10, decimal_places=2, help_text=_("after item promotions")
    )
    quantity = models.PositiveIntegerField()
    discount_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text=_("share of order-level discounts")
    )
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    flash_sale = models.ForeignKey(
        "promotions.FlashSale", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderLog(models.Model):
    """Every change of an order's status: who, when, from what to what."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="log")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.CharField(max_length=60, help_text=_("buyer, seller, operator or system"))
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"

    ACTORS = {
        "buyer": _("by you"),
        "seller": _("by the seller"),
        "operator": _("by the operator"),
        "system": _("automatically"),
    }

    @property
    def status_label(self) -> str:
        """The new status in the reader's words (待付款, not pending_payment)."""
        return str(Order.Status(self.to_status).label)

    @property
    def actor_label(self) -> str:
        return str(self.ACTORS.get(self.actor, self.actor))


class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting the seller")
        REFUSED = "refused", _("refused by the seller")
        DISPUTED = "disputed", _("with the operator")
        AGREED = "agreed", _("refunded")
        CLOSED = "closed", _("withdrawn")

    OPEN = (Status.REQUESTED, Status.REFUSED, Status.DISPUTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    shipped_when_asked = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    seller_note = models.CharField(max_length=300, blank=True)
    operator_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"refund {self.amount} on {self.order_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
