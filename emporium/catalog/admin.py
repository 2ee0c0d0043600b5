"""Operator admin of the category tree, items, their SKUs and pictures."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from emporium.catalog.models import Category, Item, ItemImage, Sku
from emporium.catalog.services import refresh_item_totals
from emporium.lib.html import clean_rich_text, plain_text


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


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ("shop", "category")
    raw_id_fields = ("shop_categories",)
    list_select_related = ("shop", "category")
    # price and stock are kept from the SKUs (catalog.services.refresh_item_totals).
    readonly_fields = ("public_id", "price", "stock", "sales_count", "created_at", "updated_at")
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

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        refresh_item_totals(form.instance)

    @admin.action(description=_("Move the selected items to the stock-room"))
    def move_to_stock_room(self, request, queryset: QuerySet[Item]) -> None:
        self._set_status(request, queryset, Item.Status.STOCK_ROOM)

    @admin.action(description=_("Mark the selected items deleted"))
    def mark_deleted(self, request, queryset: QuerySet[Item]) -> None:
        self._set_status(request, queryset, Item.Status.DELETED)

    def _set_status(self, request, queryset: QuerySet[Item], status: str) -> None:
        count = queryset.update(status=status)
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
        refresh_item_totals(obj.item)

    def delete_model(self, request, obj: Sku) -> None:
        item = obj.item
        super().delete_model(request, obj)
        refresh_item_totals(item)

    def delete_queryset(self, request, queryset: QuerySet[Sku]) -> None:
        items = list(Item.objects.filter(skus__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for item in items:
            refresh_item_totals(item)


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
