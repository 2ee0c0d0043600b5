"""Show times in the member's own zone; storage and the API stay in UTC."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def member_timezone(get_response: Callable[[HttpRequest], HttpResponse]):
    default_zone = zoneinfo.ZoneInfo(settings.DEFAULT_MEMBER_TIMEZONE)

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = default_zone
        if user is not None and user.is_authenticated:
            try:
                zone = zoneinfo.ZoneInfo(user.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = default_zone
        timezone.activate(zone)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
