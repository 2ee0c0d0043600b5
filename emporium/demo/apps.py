"""Django app configuration for demo."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "emporium.demo"
    verbose_name = "Demo"
