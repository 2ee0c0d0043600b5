"""URLs of the storefront: browsing, the item and shop pages, and the cart."""

from django.urls import path

from emporium.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("item/<uuid:public_id>/", views.item_detail, name="item"),
    path("item/<uuid:public_id>/questions/", views.ask_question, name="ask_question"),
    path(
        "item/<uuid:public_id>/blocks/<int:placement_id>/context/",
        views.item_block_context,
        name="item_block_context",
    ),
    path("shop/<str:slug>/", views.shop_detail, name="shop"),
    path("coupons/<int:batch_id>/claim/", views.claim_coupon, name="claim_coupon"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/", views.cart_update, name="cart_update"),
    path("cart/lines/<int:line_id>/remove/", views.cart_remove, name="cart_remove"),
]
