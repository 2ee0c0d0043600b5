"""Item pictures keep their full-size original for zoom: upright, without metadata, content-named."""

import hashlib
import io
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from emporium.catalog import services as catalog
from emporium.catalog.images import ImageRejected
from emporium.events.models import Event
from emporium.fixtures import picture_bytes
from emporium.lib.images import check_image
from emporium.resources.items import original_out


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def fetch(client, image) -> tuple[Image.Image, bytes, object]:
    """GET the original as a browser would, through the URL the API gives."""
    path = image_original_path(image)
    response = client.get(path)
    assert response.status_code == 200, path
    data = b"".join(response.streaming_content)
    return Image.open(io.BytesIO(data)), data, response


def image_original_path(image) -> str:
    original = original_out(image)
    assert original is not None
    return urlsplit(original.url).path


def rotated_jpeg_with_metadata() -> bytes:
    """A 300 × 200 photo stored sideways (EXIF orientation 6) with the maker's private notes."""
    image = Image.new("RGB", (300, 200), (10, 120, 200))
    image.paste((250, 250, 0), (0, 0, 30, 30))  # a yellow corner to see which way is up
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    exif[0x010E] = "secret workshop address"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def test_the_original_is_kept_upright_without_its_metadata(client, item):
    image = catalog.add_image(item, upload(rotated_jpeg_with_metadata()))
    assert (image.width, image.height) == (200, 300)
    kept, data, response = fetch(client, image)
    assert kept.size == (200, 300) and kept.format == "JPEG"
    assert not kept.getexif(), "metadata (places, serial numbers) must not be published"
    assert b"secret workshop" not in data
    assert kept.getpixel((190, 5))[0] > 200, "the yellow corner is now top right"
    assert hashlib.sha256(data).hexdigest() == image.original_sha256
    assert image.original_bytes == len(data)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_transparent_png_keeps_its_alpha_losslessly(client, item):
    picture = Image.new("RGBA", (120, 80), (255, 0, 0, 0))
    picture.paste((0, 0, 255, 255), (40, 20, 80, 60))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    image = catalog.add_image(item, upload(out.getvalue(), "logo.png"))
    kept, _, response = fetch(client, image)
    assert response["Content-Type"] == "image/png"
    assert kept.mode == "RGBA"
    assert kept.getpixel((0, 0))[3] == 0 and kept.getpixel((60, 40)) == (0, 0, 255, 255)


def test_a_sixteen_bit_greyscale_png_is_not_clipped_to_white(client, item):
    out = io.BytesIO()
    Image.new("I;16", (64, 64), 32768).save(out, format="PNG")  # mid grey in 16 bits
    image = catalog.add_image(item, upload(out.getvalue(), "scan.png"))
    kept, _, _ = fetch(client, image)
    assert 120 <= kept.convert("L").getpixel((10, 10)) <= 136


def test_a_cmyk_jpeg_becomes_an_rgb_original(client, item):
    out = io.BytesIO()
    Image.new("CMYK", (90, 60), (0, 255, 255, 0)).save(out, format="JPEG")  # print red
    image = catalog.add_image(item, upload(out.getvalue(), "print.jpg"))
    kept, _, _ = fetch(client, image)
    red, green, blue = kept.convert("RGB").getpixel((45, 30))
    assert red > 200 and green < 60 and blue < 60


def test_an_animated_gif_keeps_its_first_frame(client, item):
    frames = [Image.new("RGB", (50, 50), colour) for colour in [(0, 200, 0), (200, 0, 0)]]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    image = catalog.add_image(item, upload(out.getvalue(), "spin.gif"))
    kept, _, _ = fetch(client, image)
    red, green, _ = kept.convert("RGB").getpixel((25, 25))
    assert green > 150 and red < 50


def test_identical_uploads_share_one_original(item):
    data = picture_bytes("JPEG", size=(100, 80))
    first = catalog.add_image(item, upload(data))
    second = catalog.add_image(item, upload(data))
    assert first.original_sha256 == second.original_sha256


def test_zoom_photography_above_pillows_default_bomb_limit_is_accepted_up_to_ours():
    out = io.BytesIO()
    Image.new("1", (10_000, 9_500)).save(out, format="PNG")  # 95 Mpx; Pillow warns past 89
    checked = check_image(out.getvalue(), max_bytes=10_000_000, max_pixels=100_000_000)
    assert (checked.width, checked.height) == (10_000, 9_500)
    with pytest.raises(ImageRejected, match="pixels"):
        check_image(out.getvalue(), max_bytes=10_000_000, max_pixels=90_000_000)


def test_a_truncated_upload_leaves_no_picture(item):
    data = picture_bytes("JPEG", size=(400, 300))
    with pytest.raises(ImageRejected):
        catalog.add_image(item, upload(data[: len(data) // 2]))
    assert not item.images.exists()


def test_apps_see_the_original_in_the_api_and_in_item_events(seller_api, installation, item):
    Event.objects.all().delete()
    image = catalog.add_image(item, upload(picture_bytes("JPEG", size=(320, 240))))
    shown = seller_api.get(f"/items/{item.public_id}").json()["images"][0]["original"]
    assert shown["sha256"] == image.original_sha256
    assert (shown["width"], shown["height"], shown["content_type"]) == (320, 240, "image/jpeg")
    assert shown["url"].endswith(f"/media/originals/{image.original_sha256[:2]}/"
                                 f"{image.original_sha256}.jpeg")  # fmt: skip
    event = Event.objects.get(topic="item.updated")
    assert event.data["item"]["images"][0]["original"] == shown


def test_pictures_from_before_originals_were_kept_say_so(seller_api, item):
    catalog.add_image(item, upload(picture_bytes("PNG")))
    item.images.update(original_sha256="", original_format="", original_bytes=0)
    assert seller_api.get(f"/items/{item.public_id}").json()["images"][0]["original"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/media/originals/ab/" + "ab" * 32 + ".gif",  # not a format we keep
        "/media/originals/cd/" + "ab" * 32 + ".jpeg",  # shard disagrees
        "/media/originals/ab/" + "ab" * 31 + ".jpeg",  # too short
        "/media/originals/ab/" + "AB" * 32 + ".jpeg",  # not lowercase hex
        "/media/originals/ab/" + "ab" * 32 + ".jpeg",  # no such file
    ],
)
def test_a_name_that_is_not_a_kept_original_is_not_found(client, path):
    assert client.get(path).status_code == 404
