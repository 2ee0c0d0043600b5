"""Test pictures: real photographs (scikit-image's sample data) and the bad inputs of the issue."""

import io
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data, transform


def photo(name: str = "astronaut", scale: float = 1.0) -> Image.Image:
    """A real photograph, optionally enlarged (bicubic) to make a zoomable size."""
    pixels = getattr(data, name)()
    if scale != 1.0:
        pixels = transform.rescale(pixels, scale, channel_axis=2 if pixels.ndim == 3 else None,
                                   order=3, preserve_range=True, anti_aliasing=False)  # fmt: skip
        pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def save(image: Image.Image, path: Path, fmt: str, **options) -> Path:
    image.save(path, fmt, **options)
    return path


def progressive_jpeg(path: Path) -> Path:
    return save(photo("coffee"), path, "JPEG", quality=92, progressive=True)


def cmyk_jpeg(path: Path) -> Path:
    return save(photo("chelsea").convert("CMYK"), path, "JPEG", quality=95)


def png16(path: Path) -> Path:
    grey = np.asarray(photo("camera"), dtype=np.uint16) * 257  # the full 16-bit range
    return save(Image.fromarray(grey), path, "PNG")


def alpha_png(path: Path) -> Path:
    image = photo("astronaut").convert("RGBA")
    alpha = Image.new("L", image.size, 255)
    alpha.paste(0, (0, 0, 128, 128))  # a transparent corner: it must come out white
    image.putalpha(alpha)
    return save(image, path, "PNG")


def exif_rotated_jpeg(path: Path) -> Path:
    """Stored sideways (wide) with orientation 6: shown upright it is tall."""
    upright = photo("rocket")  # 640 × 427
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # 427 × 640 ... stored as what
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    return save(sideways, path, "JPEG", quality=95, exif=exif.tobytes())


def animated_gif(path: Path) -> Path:
    first = photo("chelsea").convert("P")
    second = Image.new("P", first.size, 0)
    first.save(path, "GIF", save_all=True, append_images=[second, second], duration=100, loop=0)
    return path


def truncated_jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    photo("astronaut").save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


def not_a_picture(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + b"\x00" * 2000)
    return path


def jpeg(image, **options) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=92, **options)
    return out.getvalue()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)
