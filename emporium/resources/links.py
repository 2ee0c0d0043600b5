"""Absolute URLs for pictures and storefront pages, so an app can fetch them as they are."""

from django.conf import settings
from django.urls import reverse


def image_url(key: str, width: int) -> str:
    """The stored variant of a picture that is at least `width` wide (or the widest there is)."""
    widths = settings.IMAGE_VARIANT_WIDTHS
    best = min((w for w in widths if w >= width), default=max(widths))
    return f"{settings.MEDIA_URL}pictures/{key[:2]}/{key}_{best}.webp"


def original_path(sha256: str, fmt: str) -> str:
    """Where an item picture's full-size original is served (see catalog.images)."""
    return f"{settings.MEDIA_URL}originals/{sha256[:2]}/{sha256}.{fmt}"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path else ""


def picture_url(key: str, width: int) -> str:
    return absolute(image_url(key, width)) if key else ""


def item_page(public_id) -> str:
    return absolute(reverse("storefront:item", args=[public_id]))


def shop_page(slug: str) -> str:
    return absolute(reverse("storefront:shop", args=[slug]))


def served_prefixes() -> tuple[str, ...]:
    """Where the platform serves pictures from, relative and absolute: the only picture sources
    a description or a design may show (any other tells a third party who looks at the page)."""
    path = f"{settings.MEDIA_URL}pictures/"
    return (path, absolute(path))
