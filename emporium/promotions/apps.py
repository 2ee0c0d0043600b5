"""Django app configuration for promotions."""

from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "emporium.promotions"
    verbose_name = "Promotions"
