from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicturesConfig(AppConfig):
    name = "emporium.pictures"
    verbose_name = _("picture space")
