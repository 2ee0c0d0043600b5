"""URLs of the seller center, under /seller/."""

from django.urls import path

from emporium.sellercenter import community, finance, orders, promotions, refunds, views

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
        "items/<uuid:public_id>/pictures/<int:image_id>/shows/",
        views.picture_shows,
        name="picture_shows",
    ),
    path(
        "items/<uuid:public_id>/pictures/<int:image_id>/main/",
        views.picture_main,
        name="picture_main",
    ),
    path("items/<uuid:public_id>/status/", views.item_status, name="item_status"),
    path("items/<uuid:public_id>/delete/", views.item_delete, name="item_delete"),
    # trading
    path("orders/", orders.order_list, name="orders"),
    path("orders/export.csv", orders.order_export, name="orders_export"),
    path("orders/<uuid:public_id>/", orders.order_detail, name="order"),
    path("orders/<uuid:public_id>/ship/", orders.order_ship, name="order_ship"),
    path("orders/<uuid:public_id>/memo/", orders.order_memo, name="order_memo"),
    path("refunds/", refunds.refund_list, name="refunds"),
    path("refunds/<uuid:public_id>/", refunds.refund_detail, name="refund"),
    path("refunds/<uuid:public_id>/agree/", refunds.refund_agree, name="refund_agree"),
    path("refunds/<uuid:public_id>/refuse/", refunds.refund_refuse, name="refund_refuse"),
    # activities
    path("activities/", promotions.activity_list, name="activities"),
    path("activities/<slug:kind>/", promotions.activity_list, name="activity_kind"),
    path("activities/<slug:kind>/new/", promotions.activity_create, name="activity_create"),
    path(
        "activities/<slug:kind>/<int:activity_id>/stop/",
        promotions.activity_stop,
        name="activity_stop",
    ),
    # money
    path("finance/", finance.finance, name="finance"),
    path("finance/settlements/", finance.settlements, name="settlements"),
    # buyers' words
    path("reviews/", community.review_list, name="reviews"),
    path("reviews/<uuid:public_id>/reply/", community.review_reply, name="review_reply"),
    path("questions/", community.question_list, name="questions"),
    path("questions/<int:question_id>/answer/", community.question_answer, name="question_answer"),
]
