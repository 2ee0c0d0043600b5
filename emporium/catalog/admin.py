"""Operator admin of the category tree, items, their SKUs and pictures."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.catalog import services as catalog
from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.catalog.search_terms import reindex_category
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

    def save_model(self, request, obj: Category, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and {"name", "name_zh_hans", "parent"} & set(form.changed_data):
            reindex_category(obj)  # search finds items by their category's names


class SkuInline(admin.TabularInline):
    """Price, stock and code change through update_skus (checked, item totals kept, apps told);
    variants come and go with the seller's options, so none is added or deleted here."""

    model = Sku
    extra = 0
    fields = ("options", "code", "price", "stock", "position")
    readonly_fields = ("options", "position")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ItemImageInline(admin.TabularInline):
    """Pictures arrive through the seller center's checked upload; here they can only be
    reordered or taken down (reorder_images, remove_image)."""

    model = ItemImage
    extra = 0
    fields = ("preview", "key", "width", "height", "position")
    readonly_fields = ("preview", "key", "width", "height")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
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
    # changes only through the actions, which tell the shop's apps; the options only with the
    # seller's change_options, which keeps the SKU matrix whole.
    readonly_fields = (
        "public_id",
        "shop",
        "status",
        "option_names",
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
        if form.has_changed():
            # Through the domain function, so the shop's apps hear of the edit (item.updated).
            item = form.instance
            catalog.update_item(
                item,
                title=item.title,
                category=item.category,
                description_html=item.description_html,
                shop_categories=list(item.shop_categories.all()),
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        item = form.instance
        if formset.model in (Sku, ItemImage):
            # What formset.save() would have noted, for the admin's change history.
            formset.new_objects = []
            formset.deleted_objects = [f.instance for f in formset.deleted_forms]
            formset.changed_objects = [
                (f.instance, f.changed_data)
                for f in formset.forms
                if f.has_changed() and f not in formset.deleted_forms
            ]
        if formset.model is Sku:
            changes: dict[int, tuple[Decimal, int] | tuple[Decimal, int, str]] = {
                f.instance.pk: (
                    f.cleaned_data["price"],
                    f.cleaned_data["stock"],
                    f.cleaned_data["code"],
                )
                for f in formset.forms
                if f.has_changed()
            }
            if changes:
                catalog.update_skus(item, changes)
        elif formset.model is ItemImage:
            for f in formset.deleted_forms:
                catalog.remove_image(item, f.instance.pk)
            kept = [f for f in formset.forms if f not in formset.deleted_forms]
            if any(f.has_changed() for f in kept):
                ordered = sorted(kept, key=lambda f: (f.cleaned_data["position"], f.instance.pk))
                catalog.reorder_images(item, [f.instance.pk for f in ordered])
        else:
            super().save_formset(request, form, formset, change)

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
    list_select_related = ("item",)
    fields = ("item", "options", "code", "price", "stock", "position")
    readonly_fields = ("item", "options", "position")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Variants come and go with the seller's options (change_options keeps the matrix whole).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Sku | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Sku, form: Any, change: bool) -> None:
        # update_skus checks the values, keeps the item's totals and tells the shop's apps.
        catalog.update_skus(obj.item, {obj.pk: (obj.price, obj.stock, obj.code)})


@admin.register(ItemImage)
class ItemImageAdmin(admin.ModelAdmin):
    """Pictures are only looked at or taken down here (remove_image tells the shop's apps)."""

    list_display = ("preview", "item", "key", "width", "height", "position")
    search_fields = ("item__title", "key")
    list_select_related = ("item",)
    readonly_fields = ("preview", "item", "key", "width", "height", "position")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ItemImage | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ItemImage) -> None:
        catalog.remove_image(obj.item, obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ItemImage]) -> None:
        for image in queryset.select_related("item"):
            catalog.remove_image(image.item, image.pk)

    @admin.display(description=_("picture"))
    def preview(self, image: ItemImage) -> str:
        return _thumbnail(image)
