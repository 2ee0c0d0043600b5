"""Operator admin of developer sandboxes (apps and tokens are django-oauth-toolkit's admin pages)."""

from django.contrib import admin

from emporium.ecosystem.models import DeveloperSandbox


@admin.register(DeveloperSandbox)
class DeveloperSandboxAdmin(admin.ModelAdmin):
    list_display = ("developer", "seller", "created_at")
    search_fields = ("developer__username", "seller__username")
    list_select_related = ("developer", "seller")
    readonly_fields = ("developer", "seller", "created_at")
