"""URLs of the payment providers' side: notifications in, and the sandbox's card page."""

from django.urls import path

from emporium.finance import views

app_name = "finance"
urlpatterns = [
    path("notify/<slug:provider>/", views.notify, name="notify"),
    path("sandbox/card/<uuid:public_id>/", views.sandbox_card, name="sandbox_card"),
]
