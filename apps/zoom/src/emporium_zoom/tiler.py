"""Deep Zoom pyramids with libvips: 254-pixel JPEG tiles with a 1-pixel overlap, levels halving
down to one pixel, written to a temporary folder and moved into place whole.

Every bad picture ends in `Refused` with a reason a seller can read, never a crash: a truncated
file, something that is not a picture, a canvas over the pixel limit (read from the header before
any decoding). What can be fixed is fixed: EXIF orientation, CMYK, 16 bits per channel,
transparency (flattened onto white: JPEG tiles have no alpha), animation (the first frame).
"""

import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyvips

TILE_SIZE = 254
OVERLAP = 1
FORMAT = "jpg"
QUALITY = 97  # the PSNR ≥ 40 dB of the issue on a grainy film scan too (docs/zoom.md)


class Refused(Exception):
    """The picture cannot be tiled; the message says why, for the seller."""


@dataclass(frozen=True)
class Pyramid:
    width: int
    height: int
    levels: int
    tiles: int
    size_bytes: int


def level_count(width: int, height: int) -> int:
    """Deep Zoom levels: level 0 is 1×1, the last is full size, each halves the next (rounding up)."""
    return math.ceil(math.log2(max(width, height))) + 1


def level_size(width: int, height: int, level: int) -> tuple[int, int]:
    scale = 2 ** (level_count(width, height) - 1 - level)
    return math.ceil(width / scale), math.ceil(height / scale)


def descriptor(width: int, height: int) -> str:
    """The .dzi file, which OpenSeadragon reads (or is given inline)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="{FORMAT}" '
        f'Overlap="{OVERLAP}" TileSize="{TILE_SIZE}"><Size Width="{width}" Height="{height}"/>'
        "</Image>\n"
    )


def load(source: Path, *, max_pixels: int) -> pyvips.Image:
    """The picture upright, 8-bit sRGB without alpha, first frame only; or Refused."""
    try:
        # Sequential access streams the picture through dzsave in strips (a 100-Mpx JPEG never
        # sits decoded in memory); turning it needs the whole picture, so only then random.
        image = pyvips.Image.new_from_file(str(source), access="sequential", fail_on="error")
        if _orientation(image) not in (0, 1):
            image = pyvips.Image.new_from_file(str(source), access="random", fail_on="error")
    except pyvips.Error as error:
        raise Refused(f"not a picture libvips can read ({_first_line(error)})") from None
    if image.width * image.height > max_pixels:
        raise Refused(
            f"{image.width} × {image.height} pixels is over the limit of {max_pixels:,} pixels"
        )
    if image.get_typeof("page-height") and image.get("page-height") < image.height:
        image = image.crop(0, 0, image.width, image.get("page-height"))  # animated: first frame
    image = image.autorot()
    if image.interpretation in ("cmyk", "lab", "labs", "rgb16", "grey16", "scrgb", "b-w"):
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    if image.bands == 1:
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def tile(source: Path, destination: Path, *, max_pixels: int) -> Pyramid:
    """Tile `source` into `destination`.dzi and `destination`_files/; either all appears or nothing."""
    image = load(source, max_pixels=max_pixels)
    destination.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tiling-", dir=destination.parent))
    try:
        try:
            image.dzsave(
                str(work / "pyramid"), suffix=f".{FORMAT}[Q={QUALITY},subsample-mode=off]",
                tile_size=TILE_SIZE, overlap=OVERLAP, depth="onepixel",
            )  # fmt: skip
        except pyvips.Error as error:  # decoding is lazy: a truncated body fails only here
            raise Refused(f"the picture is damaged ({_first_line(error)})") from None
        files = work / "pyramid_files"
        (files / "vips-properties.xml").unlink(missing_ok=True)
        (work / "pyramid.dzi").write_text(descriptor(image.width, image.height))
        tiles = sum(1 for path in files.rglob(f"*.{FORMAT}"))
        size = sum(path.stat().st_size for path in files.rglob("*") if path.is_file())
        remove(destination)
        files.replace(Path(f"{destination}_files"))
        (work / "pyramid.dzi").replace(Path(f"{destination}.dzi"))  # last: the flag of "done"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    levels = level_count(image.width, image.height)
    return Pyramid(image.width, image.height, levels, tiles, size)


def remove(destination: Path) -> None:
    Path(f"{destination}.dzi").unlink(missing_ok=True)
    shutil.rmtree(Path(f"{destination}_files"), ignore_errors=True)


def _orientation(image: pyvips.Image) -> int:
    return int(image.get("orientation")) if image.get_typeof("orientation") else 1


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[-1][:160] if text else type(error).__name__
