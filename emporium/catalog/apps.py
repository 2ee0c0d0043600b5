"""Django app configuration for the catalog."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "emporium.catalog"
    verbose_name = "Catalog"
