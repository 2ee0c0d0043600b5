"""Design fixtures: a picture in Mei's picture space, a frozen clock, designs built by the actions."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emporium.fixtures import picture_bytes
from emporium.lib import clock
from emporium.pictures.services import add_picture


@pytest.fixture
def frozen_clock():
    clock.set_time(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    yield clock
    clock.set_time(None)


def upload(data: bytes, name: str = "banner.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def picture(shop):
    return add_picture(shop, upload(picture_bytes(size=(300, 120))), folder="banners")


def banner(key: str | None = None, heading: str = "Summer sale") -> dict:
    settings = {"heading": heading}
    if key:
        settings["picture"] = key
    return {"type": "banner", "settings": settings}


def doc(*sections: dict) -> dict:
    return {"sections": list(sections)}


@pytest.fixture
def app(developer):
    from emporium.api.tests.conftest import make_app

    return make_app(developer, name="Decor")
