"""Django app configuration for community."""

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "emporium.community"
    verbose_name = "Community"
