"""URLs of the market in the developer center, under /developers/market/."""

from django.urls import path

from emporium.market import dev_views

app_name = "market_dev"
urlpatterns = [
    path("apps/<uuid:public_id>/listing/", dev_views.listing, name="listing"),
    path("apps/<uuid:public_id>/listing/submit/", dev_views.listing_submit, name="listing_submit"),
    path("earnings/", dev_views.earnings, name="earnings"),
]
