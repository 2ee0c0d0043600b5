"""Operator admin of the ledger (accounts, postings, entries), top-ups, payouts and withdrawals — all read-only."""

from datetime import datetime

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from emporium.finance.models import Account, Entry, PayoutTransfer, Posting, TopUp, Withdrawal


class LedgerReadOnly:
    """Money moves only through emporium.finance.ledger, which writes a balanced posting and the
    balances in one transaction; a hand edit here would unbalance the books."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(LedgerReadOnly, admin.ModelAdmin):
    list_display = ("code", "kind", "owner", "balance", "currency")
    list_filter = ("kind", "currency")
    search_fields = ("code", "owner__username", "owner__display_name")
    list_select_related = ("owner",)
    show_full_result_count = False


class EntryInline(LedgerReadOnly, admin.TabularInline):
    model = Entry
    fields = ("account", "amount")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).select_related("account")


@admin.register(Posting)
class PostingAdmin(LedgerReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "reason", "reference", "memo")
    list_filter = ("reason", "created_at")
    search_fields = ("reference", "memo")
    date_hierarchy = "created_at"
    inlines = (EntryInline,)
    show_full_result_count = False


@admin.register(Entry)
class EntryAdmin(LedgerReadOnly, admin.ModelAdmin):
    list_display = ("posting_at", "posting", "account", "amount")
    list_filter = ("account__kind", "posting__reason")
    search_fields = ("account__code", "posting__reference")
    list_select_related = ("posting", "account")
    show_full_result_count = False

    @admin.display(description=_("at"), ordering="posting__created_at")
    def posting_at(self, entry: Entry) -> datetime:
        return entry.posting.created_at


@admin.register(Withdrawal)
class WithdrawalAdmin(LedgerReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "seller", "amount", "bank_account", "posting")
    list_filter = ("created_at",)
    search_fields = ("seller__username", "seller__display_name", "bank_account")
    list_select_related = ("seller", "posting")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(TopUp)
class TopUpAdmin(LedgerReadOnly, admin.ModelAdmin):
    """Payment intents: their state changes only by a provider's signed notification."""

    list_display = ("created_at", "member", "amount", "provider", "status", "finished_at")
    list_filter = ("status", "provider", "created_at")
    search_fields = ("public_id", "member__username")
    list_select_related = ("member",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(PayoutTransfer)
class PayoutTransferAdmin(LedgerReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "source", "amount", "bank_account", "provider", "status")
    list_filter = ("status", "provider", "created_at")
    search_fields = ("public_id", "source__code", "bank_account")
    list_select_related = ("source",)
    date_hierarchy = "created_at"
    show_full_result_count = False
