"""URLs of the developer center, under /developers/."""

from django.urls import path

from emporium.ecosystem import views

app_name = "ecosystem"
urlpatterns = [
    path("", views.home, name="home"),
    path("apps/new/", views.app_create, name="app_create"),
    path("apps/<uuid:public_id>/", views.app_detail, name="app_detail"),
    path("apps/<uuid:public_id>/calls/", views.app_calls, name="app_calls"),
    path("apps/<uuid:public_id>/edit/", views.app_edit, name="app_edit"),
    path("apps/<uuid:public_id>/delete/", views.app_delete, name="app_delete"),
    path("apps/<uuid:public_id>/secret/", views.app_rotate_secret, name="app_rotate_secret"),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("sandbox/act-as/", views.sandbox_act_as, name="sandbox_act_as"),
    path("sandbox/return/", views.sandbox_return, name="sandbox_return"),
]
