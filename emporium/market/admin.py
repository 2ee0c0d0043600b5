"""Operator review of app listings (approve, or reject with a reason), and billing records."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from emporium.market import listings
from emporium.market.models import Block, Invoice, Listing, Payout, Plan, Subscription


class PlanInline(admin.TabularInline):
    model = Plan
    extra = 0
    can_delete = False
    readonly_fields = ("name", "kind", "price_amount", "trial_days", "unit_price_amount", "retired")
    fields = readonly_fields


class BlockInline(admin.TabularInline):
    """Proposed (what the developer saved) beside live (what the last review let through)."""

    model = Block
    extra = 0
    can_delete = False
    readonly_fields = (
        "name", "url", "placement", "fullscreen", "live_url", "live_placement", "live_fullscreen"
    )  # fmt: skip
    fields = readonly_fields


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=500)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("name", "app", "category", "status", "submitted_at", "install_count")
    list_filter = ("status", "category")
    search_fields = ("name", "app__name", "app__user__username")
    list_select_related = ("app",)
    readonly_fields = (
        "app", "status", "review_reason", "submitted_at", "reviewed_at", "app_url", "live_app_url"
    )  # fmt: skip
    inlines = [PlanInline, BlockInline]
    actions = ["approve", "approve_without_fullscreen", "take_down", "reject"]

    @admin.action(description=_("Approve the selected listings"))
    def approve(self, request, queryset):
        for listing in queryset:
            listings.approve(listing)
        messages.success(request, _("Approved: they are in the market now."))

    @admin.action(description=_("Approve, but no block may go full screen"))
    def approve_without_fullscreen(self, request, queryset):
        for listing in queryset:
            listings.approve(listing, allow_fullscreen=False)
        messages.success(request, _("Approved without full screen: they are in the market now."))

    @admin.action(description=_("Take down for review (blocks and admin pages disappear)"))
    def take_down(self, request, queryset):
        for listing in queryset:
            listings.take_down(listing)
        messages.success(request, _("Taken down: shops no longer show them until you approve."))

    @admin.action(description=_("Reject the selected listings (with a reason)"))
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for listing in queryset:
                listings.reject(listing, form.cleaned_data["reason"])
            messages.success(request, _("Rejected; the developers see your reason."))
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "listings": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return render(request, "market/admin_reject.html", context)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("installation", "plan", "status", "period_end", "credit_amount")
    list_filter = ("status",)
    list_select_related = ("installation__app", "installation__shop", "plan")
    readonly_fields = [f.name for f in Subscription._meta.fields]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("created_at", "shop", "app", "kind", "amount", "status")
    list_filter = ("kind", "status")
    list_select_related = ("shop", "app")
    readonly_fields = [f.name for f in Invoice._meta.fields]


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = ("created_at", "developer", "amount", "bank_account")
    readonly_fields = [f.name for f in Payout._meta.fields]
