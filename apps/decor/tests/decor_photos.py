"""Real photographs shipped inside scikit-image (its sample data), as album uploads."""

import io
from pathlib import Path

import skimage
from PIL import Image

DATA = Path(skimage.__file__).parent / "data"
PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png",
          "hubble_deep_field.jpg"]  # fmt: skip


def photo(name: str) -> bytes:
    return (DATA / name).read_bytes()


def recompressed(name: str, width: int, quality: int = 70) -> bytes:
    """The same photograph saved again smaller and as a JPEG: other bytes, the same picture."""
    image = Image.open(io.BytesIO(photo(name))).convert("RGB")
    image = image.resize((width, round(image.height * width / image.width)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def as_jpeg(name: str) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(photo(name))).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()
