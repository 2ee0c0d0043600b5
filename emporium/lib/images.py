"""Check uploaded picture bytes and make resized variants, with Pillow and no Django."""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from emporium.lib.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(DomainError):
    """The bytes are not a picture we accept; the message says why in the uploader's words."""

    def __init__(self, message: str):
        super().__init__(message, code="image_rejected", field="image")


@dataclass(frozen=True)
class CheckedImage:
    image: Image.Image
    format: str
    width: int
    height: int


def check_image(data: bytes, *, max_bytes: int, max_pixels: int) -> CheckedImage:
    """Sniff the format from the content (never the name), refuse oversize and bombs, then decode."""
    if len(data) > max_bytes:
        raise ImageRejected(f"The file is {len(data):,} bytes; the limit is {max_bytes:,}.")
    try:
        with warnings.catch_warnings():
            # Our own header check below is the bomb check, with the caller's limit (zoom
            # photography may exceed Pillow's default of 89 Mpx); Pillow still raises its
            # DecompressionBombError beyond twice its default.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format or ""
            width, height = probe.size
            # Reading the header is cheap; refuse big canvases before decoding a single pixel.
            if width * height > max_pixels:
                raise ImageRejected(
                    f"The picture is {width}×{height} pixels; the limit is {max_pixels:,} pixels."
                )
            if fmt not in ACCEPTED_FORMATS:
                raise ImageRejected("Only JPEG, PNG, WebP and GIF pictures are accepted.")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected("The picture has too many pixels to open safely.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected("The file is not a picture, or it is damaged.") from None
    upright = _eight_bit(ImageOps.exif_transpose(image))
    return CheckedImage(image=upright, format=fmt, width=upright.width, height=upright.height)


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale scaled to 8 bits: Pillow's plain convert would clip it to white."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image


def resized_webp(image: Image.Image, width: int, quality: int = 82) -> bytes:
    """A WebP no wider than `width` (never enlarged), keeping the aspect ratio."""
    copy = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    if copy.width > width:
        height = max(1, round(copy.height * width / copy.width))
        copy = copy.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()


@dataclass(frozen=True)
class Original:
    """The upright picture at full size, re-encoded without its metadata (EXIF GPS stays out)."""

    data: bytes
    format: str  # "jpeg" or "png"
    content_type: str


def original(checked: CheckedImage, jpeg_quality: int = 92) -> Original:
    """Photographs (and anything lossy) as JPEG with full colour resolution, so fabric detail
    survives; pictures with transparency or from lossless sources as PNG."""
    image = checked.image
    lossless = checked.format in ("PNG", "GIF") or image.info.get("lossless", False)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if lossless or transparent:
        copy = image.convert("RGBA" if transparent else "RGB")
        copy.save(out, format="PNG", compress_level=6)
        return Original(out.getvalue(), "png", "image/png")
    # 4:4:4 (subsampling=0): halving the colour resolution blurs a printed pattern's edges.
    image.convert("RGB").save(out, format="JPEG", quality=jpeg_quality, subsampling=0)
    return Original(out.getvalue(), "jpeg", "image/jpeg")
