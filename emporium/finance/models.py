"""Ledger accounts, balanced postings and their entries, and seller withdrawals."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from emporium.lib.money import CURRENCY


class Account(models.Model):
    """A place money sits. Balances are signed so that the books always sum to zero:
    money held for somebody (a wallet, escrow, a seller balance, platform revenue) is positive,
    and the external world (card top-ups in, payouts out) carries the opposite sign."""

    class Kind(models.TextChoices):
        WALLET = "wallet", _("buyer wallet")
        ESCROW = "escrow", _("escrow")
        SELLER = "seller", _("seller balance")
        REVENUE = "revenue", _("platform revenue")
        ISV = "isv", _("ISV payable")
        EXTERNAL = "external", _("external")

    code = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3, default=CURRENCY)
    # Kept in step with the entries inside the same transaction; check-ledger proves it.
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.balance} {self.currency})"


class Posting(models.Model):
    """One movement of money: two or more entries that sum to zero."""

    class Reason(models.TextChoices):
        TOP_UP = "top_up", _("wallet top-up")
        PAYMENT = "payment", _("order payment into escrow")
        REFUND = "refund", _("refund out of escrow")
        SETTLEMENT = "settlement", _("settlement to seller")
        WITHDRAWAL = "withdrawal", _("seller withdrawal")
        CANCELLATION = "cancellation", _("cancelled paid order")
        APP_CHARGE = "app_charge", _("app charge")
        APP_PAYOUT = "app_payout", _("app developer payout")

    reason = models.CharField(max_length=20, choices=Reason.choices)
    reference = models.CharField(max_length=80, db_index=True, help_text=_("e.g. order:<number>"))
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")

    def __str__(self) -> str:
        return f"{self.reason} {self.reference}"


class Entry(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount:+}"


class Withdrawal(models.Model):
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    bank_account = models.CharField(_("bank account"), max_length=60)
    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.seller} {self.amount}"
