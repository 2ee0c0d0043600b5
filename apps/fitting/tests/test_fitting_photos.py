"""Bad photos get a named refusal (never a partial result); odd but usable ones are read right."""

import io

import numpy as np
import pytest
from emporium_fitting.face import Box, Face
from emporium_fitting.photos import PhotoError, decode, encode_jpeg
from fitting_photos import astronaut, coffee, grace_hopper, jpeg, png
from PIL import Image


def refusal(finder, data: bytes) -> str:
    with pytest.raises(PhotoError) as caught:
        finder.find(decode(data))
    return caught.value.code


def test_a_photo_without_a_face_is_refused(finder):
    assert refusal(finder, jpeg(coffee())) == "no_face"


def test_of_several_faces_the_largest_is_used(finder):
    small = np.asarray(Image.fromarray(astronaut()).resize((440, 440)))  # face ≈ 90 px
    canvas = np.full((600, 1000, 3), 235, dtype=np.uint8)
    canvas[:, :512] = grace_hopper()  # face ≈ 200 px
    canvas[80:520, 540:980] = small
    found = finder.boxes(canvas)
    assert len(found) == 2
    face = finder.find(canvas)
    assert face.box.center[0] < 512


def test_a_face_too_small_is_refused(finder):
    tiny = np.asarray(Image.fromarray(astronaut()).resize((200, 200)))  # face ≈ 40 px
    canvas = np.full((400, 400, 3), 200, dtype=np.uint8)
    canvas[100:300, 100:300] = tiny
    assert refusal(finder, jpeg(canvas)) == "face_too_small"


def test_a_face_turned_too_far_is_refused():
    # The rule on its own: a nose far to one side of the eyes' midpoint is a turned head.
    points = np.zeros((468, 2), dtype=np.float32)
    points[[33, 133]] = [(100, 100), (120, 100)]
    points[[362, 263]] = [(160, 100), (180, 100)]
    points[1] = (140, 130)
    assert Face(Box(80, 60, 120, 140), points).turn() < 0.05
    points[1] = (175, 130)  # nose under the left eye: a profile
    assert Face(Box(80, 60, 120, 140), points).turn() > 0.33


def test_a_huge_photo_is_refused_before_its_pixels_are_decoded():
    huge = png(Image.new("1", (8000, 6000)))  # 48 megapixels, a few kB of PNG
    with pytest.raises(PhotoError) as caught:
        decode(huge)
    assert caught.value.code == "too_large"


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, I am not a picture", b"%PDF-1.7\n...", jpeg(astronaut())[:600]],
    ids=["empty", "text", "pdf", "truncated jpeg"],
)
def test_what_is_not_a_picture_is_refused(data):
    with pytest.raises(PhotoError) as caught:
        decode(data)
    assert caught.value.code == "not_a_picture"


def test_an_extremely_dark_photo_is_refused(finder):
    dark = (astronaut().astype(np.float32) * 0.05).astype(np.uint8)
    assert refusal(finder, jpeg(dark)) == "too_dark"


def test_a_grayscale_photo_is_read_as_rgb_and_its_face_found(finder):
    gray = png(Image.fromarray(astronaut()).convert("L"))
    rgb = decode(gray)
    assert rgb.shape == (512, 512, 3)
    assert finder.find(rgb).box.w > 80


def test_a_photo_with_alpha_is_laid_on_white(finder):
    rgba = Image.fromarray(astronaut()).convert("RGBA")
    rgba.putalpha(Image.new("L", rgba.size, 255))
    rgba.paste((0, 0, 0, 0), (0, 0, 40, 40))  # a transparent corner
    rgb = decode(png(rgba))
    assert rgb.shape == (512, 512, 3) and tuple(rgb[5, 5]) == (255, 255, 255)
    assert finder.find(rgb).box.w > 80


def test_a_photo_rotated_by_exif_is_turned_upright(finder):
    upright = astronaut()
    lying = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: stored turned left, rotate 90° clockwise to view
    exif[0x8825] = {2: (39.0, 54.0, 0.0), 1: "N"}  # GPS: must not survive
    out = io.BytesIO()
    lying.save(out, format="JPEG", exif=exif, quality=95)
    rgb = decode(out.getvalue())
    assert rgb.shape == upright.shape
    assert np.abs(rgb.astype(int) - upright.astype(int)).mean() < 6
    face = finder.find(rgb)
    assert face.eyes[0][1] < face.points[152][1]  # eyes above the chin: upright


def test_a_result_carries_no_metadata():
    result = Image.open(io.BytesIO(encode_jpeg(astronaut())))
    assert not result.getexif() and "exif" not in result.info and "icc_profile" not in result.info
