"""Django app configuration for members."""

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "emporium.members"
    verbose_name = "Members"
