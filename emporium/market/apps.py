"""Django app configuration for the app market."""

from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "emporium.market"
    verbose_name = "App market"
