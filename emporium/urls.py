"""URL map of the platform: storefront, members, seller center, Open API, OAuth, developer center, admin."""

from django.contrib import admin
from django.urls import include, path
from oauth2_provider.views import OAuthServerMetadataView

from emporium.api import bare
from emporium.api.main import api
from emporium.catalog.images import serve_picture

urlpatterns = [
    path("", include("emporium.storefront.urls")),
    path("", include("emporium.customer_events.urls")),
    path("", include("emporium.design.urls")),
    path("account/", include("emporium.members.urls")),
    path("seller/market/", include("emporium.market.urls")),
    path("seller/", include("emporium.sellercenter.urls")),
    path("orders/", include("emporium.trade.urls")),
    path("media/pictures/<str:shard>/<str:name>", serve_picture, name="picture"),
    path("api/v1/", api.urls),
    path("o/", include("emporium.ecosystem.oauth_urls")),
    # RFC 8414 puts the metadata at the origin's root, so standard OAuth clients find it.
    path(
        ".well-known/oauth-authorization-server",
        OAuthServerMetadataView.as_view(),
        name="oauth-authorization-server",
    ),
    path("developers/market/", include("emporium.market.dev_urls")),
    path("developers/", include("emporium.ecosystem.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Only with BENCH_BARE_ENDPOINTS on: the benchmark's unauthenticated twin of GET /api/v1/items.
urlpatterns += bare.routes()
