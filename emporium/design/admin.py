from django.contrib import admin

from emporium.design.models import DesignSchedule, DesignVersion


@admin.register(DesignVersion)
class DesignVersionAdmin(admin.ModelAdmin):
    list_display = ["shop", "number", "source", "published_at"]
    list_filter = ["source"]
    readonly_fields = ["shop", "number", "document", "source", "rolled_back_from", "published_at"]


@admin.register(DesignSchedule)
class DesignScheduleAdmin(admin.ModelAdmin):
    list_display = ["shop", "status", "starts_at", "ends_at"]
    list_filter = ["status"]
