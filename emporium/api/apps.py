"""Django app configuration for the Open API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "emporium.api"
    verbose_name = "Open API"
