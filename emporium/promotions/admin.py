"""Operator admin of shop activities and claimed coupons: read-only, with a "stop" action."""

from typing import ClassVar

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.lib import clock
from emporium.promotions import activities
from emporium.promotions.models import Coupon, CouponBatch, Discount, FlashSale, Threshold


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("running", _("running")), ("upcoming", _("upcoming")), ("ended", _("ended"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        at = clock.now()
        if self.value() == "running":
            return queryset.filter(is_stopped=False, starts_at__lte=at, ends_at__gt=at)
        if self.value() == "upcoming":
            return queryset.filter(is_stopped=False, starts_at__gt=at)
        if self.value() == "ended":
            return queryset.filter(Q(is_stopped=True) | Q(ends_at__lte=at))
        return queryset


class ActivityAdmin(admin.ModelAdmin):
    """Activities are created through emporium.promotions.activities, which checks the period,
    prices and ownership; the operator can look, and stop one that breaks the rules."""

    list_filter = (WhenFilter, "is_stopped", "starts_at")
    search_fields: ClassVar[tuple[str, ...]] = ("name", "shop__name")
    list_select_related: ClassVar[tuple[str, ...]] = ("shop",)
    date_hierarchy = "starts_at"
    actions = ("stop_activities",)
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("running now"), boolean=True)
    def running(self, activity) -> bool:
        return activity.is_running(clock.now())

    @admin.action(description=_("Stop the selected activities"))
    def stop_activities(self, request, queryset: QuerySet) -> None:
        count = 0
        for activity in queryset.filter(is_stopped=False):
            activities.stop(activity)
            count += 1
        message = ngettext("%(n)s activity stopped.", "%(n)s activities stopped.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)


@admin.register(Discount)
class DiscountAdmin(ActivityAdmin):
    list_display = ("name", "shop", "percent_off", "starts_at", "ends_at", "running", "is_stopped")


@admin.register(Threshold)
class ThresholdAdmin(ActivityAdmin):
    list_display = (
        "name", "shop", "min_spend", "amount_off", "starts_at", "ends_at", "running", "is_stopped",
    )  # fmt: skip


@admin.register(CouponBatch)
class CouponBatchAdmin(ActivityAdmin):
    list_display = (
        "name", "shop", "amount_off", "min_spend", "claimed_count", "total_count", "starts_at",
        "ends_at", "running", "is_stopped",
    )  # fmt: skip


@admin.register(FlashSale)
class FlashSaleAdmin(ActivityAdmin):
    list_display = (
        "name", "shop", "sku", "flash_price", "sold_count", "stock_limit", "per_buyer_limit",
        "starts_at", "ends_at", "running", "is_stopped",
    )  # fmt: skip
    search_fields = ("name", "shop__name", "sku__item__title")
    list_select_related = ("shop", "sku__item")


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    """A claimed coupon; checkout marks it used and a cancelled order frees it again."""

    list_display = ("batch", "shop", "buyer", "claimed_at", "used_at")
    list_filter = (("used_at", admin.EmptyFieldListFilter), "claimed_at")
    search_fields = ("batch__name", "buyer__username", "batch__shop__name")
    list_select_related = ("batch__shop", "buyer")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("shop"), ordering="batch__shop__name")
    def shop(self, coupon: Coupon):
        return coupon.batch.shop
