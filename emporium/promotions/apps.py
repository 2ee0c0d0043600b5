"""Django app configuration for promotions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "emporium.promotions"
    verbose_name = _("Promotions")
