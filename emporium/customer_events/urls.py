"""URL of the storefront event collector."""

from django.urls import path

from emporium.customer_events.views import collect_view

urlpatterns = [path("collect", collect_view, name="customer_events_collect")]
