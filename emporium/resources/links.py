"""Absolute URLs for pictures and storefront pages, so an app can fetch them as they are."""

from django.conf import settings
from django.urls import reverse

from emporium.catalog.images import image_url


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else ""


def picture_url(key: str, width: int) -> str:
    return absolute(image_url(key, width)) if key else ""


def item_page(public_id) -> str:
    return absolute(reverse("storefront:item", args=[public_id]))


def shop_page(slug: str) -> str:
    return absolute(reverse("storefront:shop", args=[slug]))
