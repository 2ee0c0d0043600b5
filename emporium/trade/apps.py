"""Django app configuration for trade."""

from django.apps import AppConfig


class TradeConfig(AppConfig):
    name = "emporium.trade"
    verbose_name = "Trade"
