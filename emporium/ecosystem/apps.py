"""Django app configuration for the ecosystem."""

from django.apps import AppConfig


class EcosystemConfig(AppConfig):
    name = "emporium.ecosystem"
    verbose_name = "Ecosystem"
