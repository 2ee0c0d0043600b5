"""Operator admin of shops and the shops' own categories."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.shops import services
from emporium.shops.models import Shop, ShopCategory


class ShopCategoryInline(admin.TabularInline):
    model = ShopCategory
    extra = 0
    fields = ("name", "position")


class ShopAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any] | None:
        """The same refusals as the seller's settings page (update_shop), on the named field."""
        cleaned = super().clean() or {}
        if self.instance.pk and "name" in cleaned and "description" in cleaned:
            try:
                services.check_details(
                    self.instance, name=cleaned["name"], description=cleaned["description"]
                )
            except services.ShopError as refused:
                self.add_error(refused.field, str(refused))
        return cleaned


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    form = ShopAdminForm
    list_display = ("name", "owner", "status", "slug", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("name", "slug", "owner__username", "owner__display_name", "=public_id")
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    # The status changes only through the actions, which tell the shop's apps (shop.updated).
    readonly_fields = ("public_id", "status", "logo_key", "created_at", "updated_at")
    inlines = (ShopCategoryInline,)
    actions = ("close_shops", "suspend_shops", "reopen_shops")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Shops are opened by members (open_shop makes the member a seller).
        return False

    def save_model(self, request: HttpRequest, obj: Shop, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # Through the domain function, so the shop's apps hear of it (shop.updated).
            services.update_shop(obj, name=obj.name, description=obj.description)

    @admin.action(description=_("Close the selected shops"))
    def close_shops(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_status(request, queryset, Shop.Status.CLOSED)

    @admin.action(description=_("Suspend the selected shops"))
    def suspend_shops(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_status(request, queryset, Shop.Status.SUSPENDED)

    @admin.action(description=_("Reopen the selected shops"))
    def reopen_shops(self, request: HttpRequest, queryset: QuerySet[Shop]) -> None:
        self._set_status(request, queryset, Shop.Status.OPEN)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Shop], status: str) -> None:
        count = sum(services.set_status(shop, status) for shop in queryset)
        message = ngettext("%(n)s shop changed.", "%(n)s shops changed.", count) % {"n": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(ShopCategory)
class ShopCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "shop", "position")
    search_fields = ("name", "shop__name")
    autocomplete_fields = ("shop",)
    list_select_related = ("shop",)
