"""Django app configuration for storefront."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "emporium.storefront"
    verbose_name = _("Storefront")

    def ready(self) -> None:
        # Every database connection from now on bumps the page version on writes.
        from emporium.storefront import pagecache  # noqa: F401
