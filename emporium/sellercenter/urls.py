"""URLs of the seller center, under /seller/."""

from django.urls import path

from emporium.sellercenter import views

app_name = "sellercenter"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("open/", views.open_shop, name="open_shop"),
    path("settings/", views.shop_settings, name="settings"),
    path("settings/categories/", views.category_add, name="category_add"),
    path(
        "settings/categories/<int:category_id>/rename/",
        views.category_rename,
        name="category_rename",
    ),
    path(
        "settings/categories/<int:category_id>/delete/",
        views.category_delete,
        name="category_delete",
    ),
    path("settings/categories/<int:category_id>/move/", views.category_move, name="category_move"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<uuid:public_id>/", views.item_edit, name="item_edit"),
    path("items/<uuid:public_id>/skus/", views.item_skus, name="item_skus"),
    path("items/<uuid:public_id>/options/", views.item_options, name="item_options"),
    path("items/<uuid:public_id>/pictures/", views.item_pictures, name="item_pictures"),
    path(
        "items/<uuid:public_id>/pictures/<int:image_id>/delete/",
        views.picture_delete,
        name="picture_delete",
    ),
    path(
        "items/<uuid:public_id>/pictures/<int:image_id>/main/",
        views.picture_main,
        name="picture_main",
    ),
    path("items/<uuid:public_id>/status/", views.item_status, name="item_status"),
    path("items/<uuid:public_id>/delete/", views.item_delete, name="item_delete"),
]
