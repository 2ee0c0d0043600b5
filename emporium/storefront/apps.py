"""Django app configuration for storefront."""

from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "emporium.storefront"
    verbose_name = "Storefront"
