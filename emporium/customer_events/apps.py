"""Django app config for storefront customer events."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerEventsConfig(AppConfig):
    name = "emporium.customer_events"
    label = "customer_events"
    verbose_name = _("Storefront customer events")
