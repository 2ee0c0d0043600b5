"""Django app configuration for the catalog."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "emporium.catalog"
    verbose_name = _("Catalog")
