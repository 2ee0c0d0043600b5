"""The OAuth 2.0 endpoints under /o/, in django-oauth-toolkit's "oauth2_provider" namespace.

Only what Emporium offers is routed: not the toolkit's own application-management pages (apps
are registered in the developer center, under its rules), nor the device flow, OIDC or dynamic
client registration.
"""

from django.urls import path
from oauth2_provider import views as toolkit

from emporium.ecosystem import oauth_views

app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", oauth_views.ConsentView.as_view(), name="authorize"),
    path("token/", toolkit.TokenView.as_view(), name="token"),
    path("revoke_token/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth_views.IntrospectView.as_view(), name="introspect"),
    path("whoami/", oauth_views.WhoAmIView.as_view(), name="whoami"),
]
