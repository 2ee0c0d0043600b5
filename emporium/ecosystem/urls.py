"""URLs of the developer center, under /developers/."""

from django.urls import path

from emporium.ecosystem import views, webhook_views

app_name = "ecosystem"
urlpatterns = [
    path("", views.home, name="home"),
    path("apps/new/", views.app_create, name="app_create"),
    path("apps/<uuid:public_id>/", views.app_detail, name="app_detail"),
    path("apps/<uuid:public_id>/calls/", views.app_calls, name="app_calls"),
    path("apps/<uuid:public_id>/edit/", views.app_edit, name="app_edit"),
    path("apps/<uuid:public_id>/delete/", views.app_delete, name="app_delete"),
    path("apps/<uuid:public_id>/secret/", views.app_rotate_secret, name="app_rotate_secret"),
    path("apps/<uuid:public_id>/secret/shown/", views.app_secret, name="app_secret"),
    path("apps/<uuid:public_id>/webhooks/", webhook_views.webhooks, name="webhooks"),
    path(
        "apps/<uuid:public_id>/webhooks/<int:endpoint_id>/",
        webhook_views.webhook_endpoint,
        name="webhook_endpoint",
    ),
    path(
        "apps/<uuid:public_id>/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay/",
        webhook_views.webhook_replay,
        name="webhook_replay",
    ),
    path(
        "apps/<uuid:public_id>/webhooks/<int:endpoint_id>/enable/",
        webhook_views.webhook_enable,
        name="webhook_enable",
    ),
    path(
        "apps/<uuid:public_id>/webhooks/<int:endpoint_id>/test/",
        webhook_views.webhook_test,
        name="webhook_test",
    ),
    path(
        "apps/<uuid:public_id>/webhooks/<int:endpoint_id>/delete/",
        webhook_views.webhook_delete,
        name="webhook_delete",
    ),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("sandbox/act-as/", views.sandbox_act_as, name="sandbox_act_as"),
    path("sandbox/return/", views.sandbox_return, name="sandbox_return"),
]
