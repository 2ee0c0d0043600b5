"""Turning uploaded bytes into an RGB array in memory: format, pixel limit, EXIF rotation, modes.

Nothing here touches the disk: the bytes come from the request body and the array goes to the
face pipeline. The original file (with its EXIF, GPS included) is never kept or written back;
only decoded pixels survive, so the metadata is gone by construction.
"""

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# 40 megapixels: a phone's largest photo; above that decoding alone costs too much memory.
MAX_PIXELS = 40_000_000
MAX_BYTES = 25 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP", "MPO", "GIF", "BMP", "TIFF"}


class PhotoError(Exception):
    """A photo the pipeline cannot use; `code` names the message shown to the person."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


def decode(data: bytes, *, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """The photo's pixels as an H×W×3 uint8 RGB array, upright as the camera meant."""
    if not data:
        raise PhotoError("not_a_picture", "empty upload")
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large", f"{len(data)} bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            # Header only so far: refuse a huge picture before its pixels are decoded.
            if image.width * image.height > max_pixels:
                raise PhotoError("too_large", f"{image.width}×{image.height}")
            if image.format not in FORMATS:
                raise PhotoError("not_a_picture", f"format {image.format}")
            image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError("not_a_picture", type(error).__name__) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("too_large", "decompression bomb") from None
    return to_rgb(ImageOps.exif_transpose(image))


def to_rgb(image: Image.Image) -> np.ndarray:
    """Any mode (grayscale, palette, alpha, CMYK, 16-bit) as 8-bit RGB; alpha over white."""
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    elif image.mode in {"I", "I;16", "I;16B", "F"}:
        array = np.asarray(image, dtype=np.float64)
        span = float(array.max() - array.min()) or 1.0
        image = Image.fromarray(((array - array.min()) / span * 255).astype(np.uint8))
    return np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))


def encode_jpeg(rgb: np.ndarray, quality: int = 88) -> bytes:
    """A result as JPEG bytes (no metadata at all), for the response and the memory store."""
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


def shrink(rgb: np.ndarray, longest: int) -> np.ndarray:
    """The photo with its longest side at most `longest` pixels (area-averaged)."""
    height, width = rgb.shape[:2]
    scale = longest / max(height, width)
    if scale >= 1:
        return rgb
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.LANCZOS))
