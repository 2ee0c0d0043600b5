"""Django app configuration for the ecosystem."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "emporium.ecosystem"
    verbose_name = _("Ecosystem")
