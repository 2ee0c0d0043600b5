"""Django app configuration for the Open API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "emporium.api"
    verbose_name = _("Open API")
