"""Small helpers the storefront tests share: pictures, page text and flash messages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from emporium.catalog import services as catalog
from emporium.conftest import picture_bytes


def add_picture(item, colour=(200, 30, 60)):
    upload = SimpleUploadedFile("p.png", picture_bytes(colour=colour), content_type="image/png")
    return catalog.add_image(item, upload)


def text(response) -> str:
    return response.content.decode()


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
