"""Django app configuration for trade."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "emporium.trade"
    verbose_name = _("Trade")
