"""Django app configuration for the app market."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "emporium.market"
    verbose_name = _("App market")
