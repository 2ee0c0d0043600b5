"""Django app config for storefront customer events."""

from django.apps import AppConfig


class CustomerEventsConfig(AppConfig):
    name = "emporium.customer_events"
    label = "customer_events"
    verbose_name = "Storefront customer events"
