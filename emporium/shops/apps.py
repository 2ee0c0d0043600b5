"""Django app configuration for shops."""

from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "emporium.shops"
    verbose_name = "Shops"
