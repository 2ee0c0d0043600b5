"""Picture checks: the format is sniffed from content, and size, pixel count and damage are refused."""

import io

import pytest
from PIL import Image

from emporium.conftest import picture_bytes
from emporium.lib.images import ImageRejected, check_image, resized_webp

LIMITS = {"max_bytes": 1_000_000, "max_pixels": 4_000_000}


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_it_accepts_the_common_picture_formats(fmt):
    checked = check_image(picture_bytes(fmt), **LIMITS)
    assert (checked.format, checked.width, checked.height) == (fmt, 64, 48)


def test_it_refuses_text_whatever_the_name():
    with pytest.raises(ImageRejected, match="not a picture"):
        check_image(b"<?php echo 'hi'; ?>", **LIMITS)


def test_it_refuses_a_truncated_picture():
    with pytest.raises(ImageRejected):
        check_image(picture_bytes("PNG", size=(400, 400))[:200], **LIMITS)


def test_it_refuses_a_file_over_the_byte_limit():
    with pytest.raises(ImageRejected, match="limit"):
        check_image(picture_bytes(), max_bytes=100, max_pixels=4_000_000)


def test_it_refuses_a_decompression_bomb_before_decoding():
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, format="PNG")  # ~100 KB on disk, 900 M pixels
    assert len(out.getvalue()) < LIMITS["max_bytes"]
    with pytest.raises(ImageRejected, match="pixels"):
        check_image(out.getvalue(), **LIMITS)


def test_it_refuses_a_canvas_over_our_pixel_limit():
    out = io.BytesIO()
    Image.new("1", (5_000, 1_000)).save(out, format="PNG")
    with pytest.raises(ImageRejected, match="5000×1000 pixels"):
        check_image(out.getvalue(), **LIMITS)


def test_it_refuses_formats_we_do_not_serve():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ImageRejected, match="accepted"):
        check_image(out.getvalue(), **LIMITS)


def test_variants_shrink_but_never_enlarge():
    image = check_image(picture_bytes(size=(800, 400)), **LIMITS).image
    small = Image.open(io.BytesIO(resized_webp(image, 240)))
    same = Image.open(io.BytesIO(resized_webp(image, 1200)))
    assert small.size == (240, 120)
    assert same.size == (800, 400)
