"""Ledger accounts, balanced postings and their entries, top-up intents, payout transfers and withdrawals."""

import uuid
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
        TRANSIT = "transit", _("payouts in transit")
        HELD = "held", _("held until the return window closes")
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
        FEE = "fee", _("platform fee after the return window")
        WITHDRAWAL = "withdrawal", _("seller withdrawal")
        CANCELLATION = "cancellation", _("cancelled paid order")
        APP_CHARGE = "app_charge", _("app charge")
        APP_PAYOUT = "app_payout", _("app developer payout")
        PAYOUT_SENT = "payout_sent", _("payout paid by the bank")
        PAYOUT_RETURNED = "payout_returned", _("payout returned")

    reason = models.CharField(max_length=20, choices=Reason.choices)
    # One payment may cover up to 20 orders ("orders:<n>,<n>,..." is 7 + 21 × 20 characters):
    # at 80 a buyer paying four shops' orders at once hit a DataError on PostgreSQL.
    reference = models.CharField(max_length=500, db_index=True, help_text=_("e.g. order:<number>"))
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
    # The account's balance right after this entry, written under the account's row lock, so a
    # statement reads it instead of adding entries up (docs/books.md, "Balance transactions").
    balance_after = models.DecimalField(max_digits=14, decimal_places=2, null=True)

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
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")

    def __str__(self) -> str:
        return f"{self.seller} {self.amount}"


class TopUp(models.Model):
    """A payment intent: a member asked a payment provider to add money to their wallet.

    No money moves when it is made; the provider's signed notification decides (finance/topups)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the payment")
        SUCCEEDED = "succeeded", _("paid")
        FAILED = "failed", _("not paid")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="top_ups"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=CURRENCY)
    provider = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    posting = models.OneToOneField(
        Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="top_up"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("top-up")
        verbose_name_plural = _("top-ups")

    def __str__(self) -> str:
        return f"top-up {self.public_id} {self.amount} {self.status}"


class PayoutTransfer(models.Model):
    """Money on its way to a bank account through a payout provider.

    Asked for: it leaves its account for `transit:payouts`. The provider's signed notification then
    says paid (it leaves the platform) or failed (it goes back where it came from)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("on its way")
        PAID = "paid", _("paid")
        FAILED = "failed", _("returned")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=CURRENCY)
    bank_account = models.CharField(_("bank account"), max_length=60)
    provider = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="transfer")
    finish_posting = models.OneToOneField(
        Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"payout {self.public_id} {self.amount} {self.status}"
