"""django-oauth-toolkit's app configuration under a name the operator reads in their language.

Its own module: beside EcosystemConfig, the imported DOTConfig would make Django's choice of the
ecosystem's default configuration ambiguous.
"""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.apps import DOTConfig


class OAuthToolkitConfig(DOTConfig):
    """Its own verbose name is a plain English string, which no catalogue can translate."""

    verbose_name = _("OAuth authorizations")
