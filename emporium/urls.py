"""URL map of the platform: storefront, members, seller center, pictures and the operator admin."""

from django.contrib import admin
from django.urls import include, path

from emporium.api.main import api
from emporium.catalog.images import serve_picture

urlpatterns = [
    path("", include("emporium.storefront.urls")),
    path("account/", include("emporium.members.urls")),
    path("seller/", include("emporium.sellercenter.urls")),
    path("orders/", include("emporium.trade.urls")),
    path("media/pictures/<str:shard>/<str:name>", serve_picture, name="picture"),
    path("api/v1/", api.urls),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
