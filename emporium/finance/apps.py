"""Django app configuration for finance."""

from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "emporium.finance"
    verbose_name = "Finance"
