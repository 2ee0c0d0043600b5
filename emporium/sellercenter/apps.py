"""Django app configuration for sellercenter."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellerCenterConfig(AppConfig):
    name = "emporium.sellercenter"
    verbose_name = _("SellerCenter")
