"""URL map of the platform: storefront, members, seller center, Open API, OAuth, developer center, admin."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from emporium.api import bare
from emporium.api.main import api
from emporium.catalog.images import serve_original, serve_picture
from emporium.ecosystem import buyer_views, device_views, oauth_views
from emporium.lib.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("emporium.storefront.urls")),
    path("", include("emporium.customer_events.urls")),
    path("", include("emporium.design.urls")),
    path("account/apps/", buyer_views.connected_apps, name="connected_apps"),
    path("account/apps/<uuid:app_id>/revoke/", buyer_views.revoke_app, name="revoke_app"),
    path("pay/<uuid:public_id>/", buyer_views.pay_request, name="pay_request"),
    path("account/", include("emporium.members.urls")),
    path("seller/market/", include("emporium.market.urls")),
    path("seller/", include("emporium.sellercenter.urls")),
    path("orders/", include("emporium.trade.urls")),
    path("payments/", include("emporium.finance.urls")),
    path("media/pictures/<str:shard>/<str:name>", serve_picture, name="picture"),
    path("media/originals/<str:shard>/<str:name>", serve_original, name="original"),
    path("api/v1/", api.urls),
    path("o/", include("emporium.ecosystem.oauth_urls")),
    # RFC 8414 puts the metadata at the origin's root, so standard OAuth clients find it.
    path(
        ".well-known/oauth-authorization-server",
        oauth_views.MetadataView.as_view(),
        name="oauth-authorization-server",
    ),
    # RFC 8628's verification URI: short, so a buyer can type it from a TV screen.
    path("device/", device_views.DeviceCodeView.as_view(), name="device"),
    path(
        "device/confirm/<str:user_code>/",
        device_views.DeviceConfirmView.as_view(),
        name="device_confirm",
    ),
    path("developers/market/", include("emporium.market.dev_urls")),
    path("developers/", include("emporium.ecosystem.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/operations/", include("emporium.operations.urls")),
    path("admin/", admin.site.urls),
]
# Only with BENCH_BARE_ENDPOINTS on: the benchmark's unauthenticated twin of GET /api/v1/items.
urlpatterns += bare.routes()


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except when the database is away (503) or the disk is full (507):
    both clear on their own, so the client is told to retry (lib/outage.py)."""
    import sys

    from django.http import JsonResponse
    from django.views.defaults import server_error as django_server_error

    from emporium.lib import outage

    failure = sys.exc_info()[1]
    if outage.is_outage(failure):
        status, code, message = 503, "service_unavailable", outage.MESSAGE
    elif outage.is_disk_full(failure):
        status, code, message = 507, "insufficient_storage", outage.DISK_FULL
    else:
        return django_server_error(request)
    if request.path.startswith("/api/"):
        body = {"error": {"code": code, "message": message,
                          "request_id": getattr(request, "request_id", "")}}  # fmt: skip
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    return response


handler500 = server_error
