"""URLs of the buyer's trading pages."""

from django.urls import path

from emporium.trade import views

app_name = "trade"
urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("pay/", views.pay, name="pay"),
    path("wallet/", views.wallet, name="wallet"),
    path("", views.order_list, name="orders"),
    path("<uuid:public_id>/", views.order_detail, name="order"),
    path("<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:public_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:public_id>/refund/", views.request_refund, name="refund"),
    path(
        "<uuid:public_id>/refunds/<int:refund_id>/<str:step>/",
        views.refund_step,
        name="refund_step",
    ),
    path("<uuid:public_id>/lines/<int:line_id>/review/", views.review, name="review"),
]
