"""Operator admin of the category tree, items, their SKUs and pictures."""

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.lib.html import clean_rich_text, plain_text
from emporium.shops.models import Shop


def _thumbnail(image: ItemImage) -> str:
    return format_html('<img src="{}" alt="" width="60" loading="lazy">', image.thumb_url)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh_hans", "parent", "slug", "position", "commission_rate")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "name_zh_hans", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("parent",)
    ordering = ("parent__position", "position", "name")


class SkuInline(admin.TabularInline):
    model = Sku
    extra = 0
    fields = ("options", "code", "price", "stock", "position")


class ItemImageInline(admin.TabularInline):
    """Pictures arrive through the seller center's checked upload; here they can only be
    reordered or taken down."""

    model = ItemImage
    extra = 0
    fields = ("preview", "key", "width", "height", "position")
    readonly_fields = ("preview", "key", "width", "height")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("picture"))
    def preview(self, image: ItemImage) -> str:
        return _thumbnail(image)


class ItemAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any] | None:
        """The seller center's refusals (update_item), on the field at fault."""
        cleaned = super().clean() or {}
        try:
            if "title" in cleaned:
                cleaned["title"] = catalog.check_title(cleaned["title"])
            if cleaned.get("category") is not None:
                catalog.check_category(cleaned["category"])
            if "shop_categories" in cleaned:
                catalog.check_shop_categories(self.instance.shop, cleaned["shop_categories"])
        except catalog.CatalogError as refused:
            self.add_error(refused.field, str(refused))
        return cleaned


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemAdminForm
    list_display = (
        "title",
        "shop",
        "category",
        "price",
        "stock",
        "status",
        "sales_count",
        "created_at",
    )
    list_filter = ("status", ("category", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("title", "shop__name", "=public_id")
    autocomplete_fields = ("category",)
    raw_id_fields = ("shop_categories",)
    list_select_related = ("shop", "category")
    # price and stock are kept from the SKUs (catalog.services.refresh_item_totals); the status
    # changes only through the actions, which tell the shop's apps.
    readonly_fields = (
        "public_id",
        "shop",
        "status",
        "price",
        "stock",
        "sales_count",
        "created_at",
        "updated_at",
    )
    fields = (
        "public_id",
        "shop",
        "title",
        "category",
        "shop_categories",
        "status",
        "description_html",
        "option_names",
        "price",
        "stock",
        "sales_count",
        "created_at",
        "updated_at",
    )
    inlines = (SkuInline, ItemImageInline)
    actions = ("move_to_stock_room", "mark_deleted")
    # COUNT(*) over the whole item table on every page view is the slow part of a big changelist.
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        # Items are made by sellers (create_item checks SKUs, prices and categories together).
        return False

    def save_model(self, request, obj: Item, form, change: bool) -> None:
        # Operators paste HTML too; it goes through the same cleaning as a seller's.
        obj.description_html = clean_rich_text(obj.description_html)
        obj.description_text = plain_text(obj.description_html)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        item = form.instance
        catalog.refresh_item_totals(item)
        # Through the domain function, so the shop's apps hear of the edit (item.updated).
        catalog.update_item(
            item,
            title=item.title,
            category=item.category,
            description_html=item.description_html,
            shop_categories=list(item.shop_categories.all()),
        )

    @admin.action(description=_("Move the selected items to the stock-room"))
    def move_to_stock_room(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        self._set_status(request, queryset, Item.Status.STOCK_ROOM)

    @admin.action(description=_("Mark the selected items deleted"))
    def mark_deleted(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        self._set_status(request, queryset, Item.Status.DELETED)

    @transaction.atomic
    def _set_status(self, request: HttpRequest, queryset: QuerySet[Item], status: str) -> None:
        by_shop: dict[Shop, list[int]] = defaultdict(list)
        for item in queryset.select_related("shop"):
            by_shop[item.shop].append(item.pk)
        count = sum(catalog.bulk_set_status(shop, ids, status) for shop, ids in by_shop.items())
        message = ngettext("%(n)s item changed.", "%(n)s items changed.", count) % {"n": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    list_display = ("item", "label", "code", "price", "stock", "position")
    list_filter = ("item__status",)
    search_fields = ("item__title", "code")
    autocomplete_fields = ("item",)
    list_select_related = ("item",)
    show_full_result_count = False

    def save_model(self, request, obj: Sku, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        catalog.refresh_item_totals(obj.item)

    def delete_model(self, request, obj: Sku) -> None:
        item = obj.item
        super().delete_model(request, obj)
        catalog.refresh_item_totals(item)

    def delete_queryset(self, request, queryset: QuerySet[Sku]) -> None:
        items = list(Item.objects.filter(skus__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for item in items:
            catalog.refresh_item_totals(item)


@admin.register(ItemImage)
class ItemImageAdmin(admin.ModelAdmin):
    list_display = ("preview", "item", "key", "width", "height", "position")
    search_fields = ("item__title", "key")
    autocomplete_fields = ("item",)
    list_select_related = ("item",)
    readonly_fields = ("preview", "key", "width", "height")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("picture"))
    def preview(self, image: ItemImage) -> str:
        return _thumbnail(image)
