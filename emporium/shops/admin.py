"""Operator admin of shops and the shops' own categories."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.shops.models import Shop, ShopCategory


class ShopCategoryInline(admin.TabularInline):
    model = ShopCategory
    extra = 0
    fields = ("name", "position")


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "status", "slug", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("name", "slug", "owner__username", "owner__display_name", "=public_id")
    autocomplete_fields = ("owner",)
    list_select_related = ("owner",)
    readonly_fields = ("public_id", "logo_key", "created_at", "updated_at")
    inlines = (ShopCategoryInline,)
    actions = ("close_shops", "reopen_shops")

    @admin.action(description=_("Close the selected shops"))
    def close_shops(self, request, queryset: QuerySet[Shop]) -> None:
        self._set_status(request, queryset, Shop.Status.CLOSED)

    @admin.action(description=_("Reopen the selected shops"))
    def reopen_shops(self, request, queryset: QuerySet[Shop]) -> None:
        self._set_status(request, queryset, Shop.Status.OPEN)

    def _set_status(self, request, queryset: QuerySet[Shop], status: str) -> None:
        count = queryset.update(status=status)
        message = ngettext("%(n)s shop changed.", "%(n)s shops changed.", count) % {"n": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(ShopCategory)
class ShopCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "shop", "position")
    search_fields = ("name", "shop__name")
    autocomplete_fields = ("shop",)
    list_select_related = ("shop",)
