"""URLs of the sellercenter."""

from django.urls import path

app_name = "sellercenter"
urlpatterns: list = []
