"""Operator admin of members, their addresses and the seller credit records."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from emporium.members.models import Address, CreditRecord, Member

admin.site.site_header = _("Emporium operator admin")
admin.site.site_title = _("Emporium admin")


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ("recipient", "phone", "province", "city", "district", "street", "is_default")


@admin.register(Member)
class MemberAdmin(UserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "has_shop",
        "is_developer",
        "credit_points",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "is_developer", "date_joined")
    search_fields = ("username", "display_name", "email", "first_name", "last_name", "=public_id")
    # The reverse one-to-one join tells "has a shop" without a query per row.
    list_select_related = ("shop",)
    readonly_fields = ("public_id", "credit_points", "last_login", "date_joined")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("Marketplace"),
            {"fields": ("public_id", "display_name", "timezone", "is_developer", "credit_points")},
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Marketplace"), {"fields": ("email", "display_name", "is_developer")}),
    )
    inlines = (AddressInline,)
    show_full_result_count = False

    @admin.display(boolean=True, description=_("seller"))
    def has_shop(self, member: Member) -> bool:
        return member.is_seller


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("recipient", "member", "phone", "province", "city", "is_default", "created_at")
    list_filter = ("is_default", "province")
    search_fields = ("recipient", "phone", "city", "street", "member__username")
    autocomplete_fields = ("member",)
    list_select_related = ("member",)


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    """A read-only ledger: members.credit keeps Member.credit_points in step with these rows,
    so an edit here would make the two disagree."""

    list_display = ("seller", "rating", "points", "source", "created_at")
    list_filter = ("rating", "created_at")
    search_fields = ("seller__username", "seller__display_name", "source")
    list_select_related = ("seller",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
