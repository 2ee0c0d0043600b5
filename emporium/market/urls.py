"""URLs of the app market in the seller center, under /seller/market/."""

from django.urls import path

from emporium.market import views

app_name = "market"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("apps/<uuid:public_id>/", views.app_page, name="app"),
    path("apps/<uuid:public_id>/install/", views.install, name="install"),
    path("apps/<uuid:public_id>/review/", views.review, name="review"),
    path("installed/", views.installed, name="installed"),
    path("installed/<uuid:public_id>/open/", views.open_app, name="open"),
    path("installed/<uuid:public_id>/plan/", views.change_plan, name="change_plan"),
    path("installed/<uuid:public_id>/pay/", views.pay_now, name="pay_now"),
    path("installed/<uuid:public_id>/uninstall/", views.uninstall, name="uninstall"),
    path("blocks/", views.shop_blocks, name="blocks"),
    path("blocks/<int:placement_id>/", views.block_change, name="block_change"),
    path("item-blocks/", views.item_blocks_page, name="item_blocks"),
    path("item-blocks/<int:block_id>/", views.item_block_setup, name="item_block_setup"),
    path("item-blocks/placed/<int:placement_id>/off/", views.item_block_off, name="item_block_off"),
]
