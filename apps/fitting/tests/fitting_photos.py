"""Real photographs that ship inside packages, as the tests and the bench use them."""

import io

import numpy as np
from matplotlib import cbook
from PIL import Image
from skimage import data


def astronaut() -> np.ndarray:
    """Eileen Collins, NASA portrait (scikit-image): 512×512, a frontal face of ~100 px."""
    return np.ascontiguousarray(data.astronaut())


def grace_hopper() -> np.ndarray:
    """Grace Hopper, US Navy portrait (matplotlib): 512×600, glasses, a face of ~200 px."""
    with cbook.get_sample_data("grace_hopper.jpg") as file:
        return np.asarray(Image.open(file).convert("RGB"))


def coffee() -> np.ndarray:
    """A cup of coffee (scikit-image): no face at all."""
    return np.ascontiguousarray(data.coffee())


def jpeg(rgb: np.ndarray, **options: object) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=92, **options)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def scaled(rgb: np.ndarray, longest: int) -> np.ndarray:
    """The photo upscaled (Lanczos) so its longest side is `longest`: the bench's sizes."""
    height, width = rgb.shape[:2]
    factor = longest / max(height, width)
    size = (round(width * factor), round(height * factor))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.LANCZOS))
