"""Django app config for domain events."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "emporium.events"
    label = "events"
    verbose_name = "Events and webhooks"
