"""The OAuth 2.0 endpoints under /o/, in django-oauth-toolkit's "oauth2_provider" namespace.

Only what Emporium offers is routed: not the toolkit's own application-management pages (apps
are registered in the developer center, under its rules), nor OIDC or dynamic client
registration. The device flow's buyer pages are at /device/ (emporium/urls.py).
"""

from django.urls import path
from oauth2_provider import views as toolkit

from emporium.ecosystem import device_views, oauth_views

app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", oauth_views.ConsentView.as_view(), name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path(
        "device-authorization/",
        device_views.DeviceAuthorizationView.as_view(),
        name="device-authorization",
    ),
    path("revoke_token/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectView.as_view(), name="introspect"),
    path("whoami/", oauth_views.WhoAmIView.as_view(), name="whoami"),
]
