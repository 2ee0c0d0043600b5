"""The operator's screens under /admin/operations/, each behind the admin's own staff check."""

from django.contrib import admin
from django.urls import path

from emporium.operations import views

app_name = "operations"
urlpatterns = [
    path("", admin.site.admin_view(views.overview), name="overview"),
    path("disputes/", admin.site.admin_view(views.disputes), name="disputes"),
    path("disputes/<uuid:public_id>/rule/", admin.site.admin_view(views.rule), name="rule"),
]
