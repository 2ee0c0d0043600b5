"""Django app configuration for sellercenter."""

from django.apps import AppConfig


class SellerCenterConfig(AppConfig):
    name = "emporium.sellercenter"
    verbose_name = "SellerCenter"
