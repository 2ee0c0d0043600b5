"""Draw demo product pictures and shop logos with Pillow: a soft gradient and a silhouette."""

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from emporium.catalog.images import image_url, store_original, store_picture
from emporium.lib.images import CheckedImage
from emporium.resources.links import original_path
from emporium.samples.words import PALETTE

# 800 px, the classic marketplace main picture (big enough to zoom); 1200 would cost twice as much
# to encode, and drawing the pool is most of the time a small demo takes to seed.
SIZE = 800
DRAWING_VERSION = 2  # bump when a change to the drawing code should redraw every picture
_SUPER = 2  # drawn at twice the size and reduced: Pillow draws shapes without anti-aliasing

RGB = tuple[int, int, int]
Point = tuple[float, float]

# A shape is a list of strokes in unit coordinates (0..1 of the canvas), each in a tone:
#   ("poly", tone, points) · ("ellipse", tone, box) · ("rrect", tone, box, radius)
#   ("line", tone, points, width) · ("ring", tone, box, width)
#   ("arc", tone, box, start, end, width)
SHAPES: dict[str, list[tuple]] = {
    "dress": [
        ("poly", "body", [(0.41, 0.13), (0.46, 0.17), (0.54, 0.17), (0.59, 0.13), (0.64, 0.17),
                          (0.62, 0.30), (0.59, 0.43), (0.77, 0.87), (0.23, 0.87), (0.41, 0.43),
                          (0.38, 0.30), (0.36, 0.17)]),
        ("rrect", "shade", (0.40, 0.41, 0.60, 0.45), 0.01),
        ("line", "shade", [(0.47, 0.47), (0.40, 0.85)], 0.006),
        ("line", "shade", [(0.53, 0.47), (0.60, 0.85)], 0.006),
    ],
    "tee": [
        ("poly", "body", [(0.43, 0.17), (0.50, 0.22), (0.57, 0.17), (0.64, 0.17), (0.82, 0.30),
                          (0.75, 0.42), (0.67, 0.37), (0.67, 0.84), (0.33, 0.84), (0.33, 0.37),
                          (0.25, 0.42), (0.18, 0.30), (0.36, 0.17)]),
        ("line", "shade", [(0.43, 0.17), (0.50, 0.22), (0.57, 0.17)], 0.014),
        ("line", "shade", [(0.34, 0.80), (0.66, 0.80)], 0.005),
    ],
    "shirt": [
        ("poly", "body", [(0.36, 0.16), (0.64, 0.16), (0.80, 0.24), (0.86, 0.70), (0.78, 0.71),
                          (0.70, 0.36), (0.69, 0.86), (0.31, 0.86), (0.30, 0.36), (0.22, 0.71),
                          (0.14, 0.70), (0.20, 0.24)]),
        ("poly", "light", [(0.39, 0.14), (0.50, 0.17), (0.46, 0.27)]),
        ("poly", "light", [(0.61, 0.14), (0.50, 0.17), (0.54, 0.27)]),
        ("line", "shade", [(0.50, 0.20), (0.50, 0.86)], 0.005),
        *[("ellipse", "light", (0.49, y, 0.51, y + 0.02)) for y in (0.31, 0.43, 0.55, 0.67, 0.79)],
    ],
    "coat": [
        ("poly", "body", [(0.37, 0.12), (0.63, 0.12), (0.80, 0.20), (0.87, 0.76), (0.78, 0.77),
                          (0.71, 0.36), (0.73, 0.92), (0.27, 0.92), (0.29, 0.36), (0.22, 0.77),
                          (0.13, 0.76), (0.20, 0.20)]),
        ("poly", "shade", [(0.40, 0.12), (0.50, 0.40), (0.45, 0.44), (0.36, 0.20)]),
        ("poly", "shade", [(0.60, 0.12), (0.50, 0.40), (0.55, 0.44), (0.64, 0.20)]),
        *[("ellipse", "ink", (0.555, y, 0.585, y + 0.03)) for y in (0.48, 0.60, 0.72)],
        ("line", "shade", [(0.30, 0.52), (0.70, 0.52)], 0.012),
    ],
    "jacket": [
        ("poly", "body", [(0.37, 0.18), (0.63, 0.18), (0.80, 0.26), (0.86, 0.74), (0.77, 0.75),
                          (0.70, 0.40), (0.70, 0.80), (0.30, 0.80), (0.30, 0.40), (0.23, 0.75),
                          (0.14, 0.74), (0.20, 0.26)]),
        ("poly", "light", [(0.40, 0.16), (0.50, 0.24), (0.60, 0.16), (0.56, 0.13), (0.44, 0.13)]),
        ("line", "ink", [(0.50, 0.24), (0.50, 0.80)], 0.006),
        ("rrect", "shade", (0.30, 0.76, 0.70, 0.81), 0.01),
        ("line", "shade", [(0.36, 0.55), (0.44, 0.55)], 0.006),
        ("line", "shade", [(0.56, 0.55), (0.64, 0.55)], 0.006),
    ],
    "skirt": [
        ("poly", "body", [(0.34, 0.26), (0.66, 0.26), (0.79, 0.78), (0.21, 0.78)]),
        ("rrect", "shade", (0.33, 0.21, 0.67, 0.27), 0.01),
        ("line", "shade", [(0.42, 0.28), (0.35, 0.77)], 0.006),
        ("line", "shade", [(0.50, 0.28), (0.50, 0.77)], 0.006),
        ("line", "shade", [(0.58, 0.28), (0.65, 0.77)], 0.006),
    ],
    "trousers": [
        ("poly", "body", [(0.34, 0.18), (0.66, 0.18), (0.69, 0.88), (0.53, 0.88), (0.50, 0.40),
                          (0.47, 0.88), (0.31, 0.88)]),
        ("rrect", "shade", (0.33, 0.13, 0.67, 0.19), 0.01),
        ("line", "shade", [(0.36, 0.20), (0.42, 0.30)], 0.006),
        ("line", "shade", [(0.64, 0.20), (0.58, 0.30)], 0.006),
    ],
    "sneaker": [
        ("poly", "body", [(0.16, 0.67), (0.18, 0.50), (0.34, 0.46), (0.52, 0.36), (0.61, 0.38),
                          (0.67, 0.50), (0.84, 0.58), (0.86, 0.67)]),
        ("rrect", "white", (0.14, 0.65, 0.87, 0.74), 0.03),
        ("poly", "light", [(0.30, 0.60), (0.72, 0.53), (0.42, 0.63)]),
        *[("line", "ink", [(0.46 + d, 0.44 + d * 0.8), (0.53 + d, 0.42 + d * 0.8)], 0.008)
          for d in (0.0, 0.04, 0.08)],
    ],
    "boot": [
        ("poly", "body", [(0.30, 0.16), (0.53, 0.16), (0.55, 0.56), (0.77, 0.67), (0.79, 0.80),
                          (0.21, 0.80), (0.23, 0.60), (0.28, 0.56)]),
        ("rrect", "shade", (0.30, 0.16, 0.53, 0.22), 0.01),
        ("rrect", "ink", (0.19, 0.79, 0.81, 0.86), 0.015),
        ("line", "shade", [(0.55, 0.56), (0.53, 0.80)], 0.006),
    ],
    "handbag": [
        ("arc", "shade", (0.32, 0.16, 0.68, 0.56), 180, 360, 0.035),
        ("rrect", "body", (0.20, 0.36, 0.80, 0.82), 0.05),
        ("poly", "shade", [(0.20, 0.40), (0.80, 0.40), (0.80, 0.52), (0.50, 0.60), (0.20, 0.52)]),
        ("ellipse", "metal", (0.47, 0.55, 0.53, 0.61)),
    ],
    "phone": [
        ("rrect", "body", (0.33, 0.11, 0.67, 0.89), 0.06),
        ("rrect", "ink", (0.355, 0.14, 0.645, 0.86), 0.04),
        ("poly", "screen", [(0.355, 0.30), (0.645, 0.18), (0.645, 0.40), (0.355, 0.52)]),
        ("rrect", "body", (0.46, 0.155, 0.54, 0.175), 0.01),
    ],
    "tablet": [
        ("rrect", "body", (0.16, 0.22, 0.84, 0.78), 0.05),
        ("rrect", "ink", (0.19, 0.26, 0.81, 0.74), 0.03),
        ("poly", "screen", [(0.19, 0.50), (0.55, 0.26), (0.81, 0.26), (0.19, 0.66)]),
    ],
    "headphones": [
        ("arc", "body", (0.22, 0.14, 0.78, 0.80), 180, 360, 0.05),
        ("rrect", "body", (0.16, 0.44, 0.31, 0.72), 0.05),
        ("rrect", "body", (0.69, 0.44, 0.84, 0.72), 0.05),
        ("rrect", "shade", (0.28, 0.47, 0.34, 0.69), 0.02),
        ("rrect", "shade", (0.66, 0.47, 0.72, 0.69), 0.02),
    ],
    "camera": [
        ("rrect", "shade", (0.28, 0.24, 0.48, 0.34), 0.02),
        ("rrect", "body", (0.16, 0.30, 0.84, 0.76), 0.05),
        ("ellipse", "metal", (0.33, 0.35, 0.67, 0.69)),
        ("ellipse", "ink", (0.38, 0.40, 0.62, 0.64)),
        ("ellipse", "screen", (0.45, 0.47, 0.55, 0.57)),
        ("rrect", "white", (0.70, 0.35, 0.78, 0.40), 0.01),
    ],
    "pot": [
        ("rrect", "ink", (0.13, 0.46, 0.25, 0.51), 0.02),
        ("rrect", "ink", (0.75, 0.46, 0.87, 0.51), 0.02),
        ("rrect", "body", (0.22, 0.40, 0.78, 0.80), 0.06),
        ("ellipse", "shade", (0.20, 0.34, 0.80, 0.45)),
        ("rrect", "ink", (0.46, 0.28, 0.54, 0.36), 0.02),
    ],
    "bedding": [
        ("rrect", "body", (0.12, 0.44, 0.88, 0.82), 0.05),
        ("rrect", "light", (0.17, 0.28, 0.48, 0.48), 0.04),
        ("rrect", "light", (0.52, 0.28, 0.83, 0.48), 0.04),
        ("line", "shade", [(0.12, 0.60), (0.88, 0.60)], 0.005),
        ("line", "shade", [(0.12, 0.72), (0.88, 0.72)], 0.005),
    ],
    "lamp": [
        ("rrect", "metal", (0.485, 0.42, 0.515, 0.80), 0.005),
        ("ellipse", "ink", (0.35, 0.77, 0.65, 0.85)),
        ("poly", "body", [(0.36, 0.16), (0.64, 0.16), (0.75, 0.44), (0.25, 0.44)]),
        ("line", "light", [(0.27, 0.42), (0.73, 0.42)], 0.01),
    ],
    "box": [
        ("rrect", "body", (0.20, 0.36, 0.80, 0.82), 0.02),
        ("rrect", "shade", (0.18, 0.30, 0.82, 0.40), 0.02),
        ("rrect", "ink", (0.44, 0.50, 0.56, 0.54), 0.02),
    ],
    "jar": [
        ("rrect", "body", (0.30, 0.46, 0.70, 0.80), 0.05),
        ("rrect", "shade", (0.28, 0.36, 0.72, 0.48), 0.03),
        ("rrect", "white", (0.36, 0.56, 0.64, 0.70), 0.02),
    ],
    "lipstick": [
        ("rrect", "metal", (0.40, 0.52, 0.60, 0.84), 0.02),
        ("rrect", "ink", (0.42, 0.46, 0.58, 0.53), 0.01),
        ("poly", "body", [(0.44, 0.47), (0.56, 0.47), (0.56, 0.30), (0.44, 0.38)]),
        ("ellipse", "shade", (0.64, 0.66, 0.86, 0.84)),
        ("ellipse", "body", (0.67, 0.68, 0.83, 0.82)),
    ],
    "bottle": [
        ("rrect", "body", (0.40, 0.15, 0.60, 0.30), 0.02),
        ("rrect", "metal", (0.45, 0.29, 0.55, 0.38), 0.01),
        ("rrect", "glass", (0.30, 0.37, 0.70, 0.84), 0.05),
        ("rrect", "body", (0.33, 0.52, 0.67, 0.81), 0.04),
    ],
    "tin": [
        ("rrect", "body", (0.30, 0.28, 0.70, 0.84), 0.03),
        ("rrect", "shade", (0.28, 0.22, 0.72, 0.32), 0.02),
        ("rrect", "light", (0.34, 0.44, 0.66, 0.70), 0.02),
        ("ellipse", "leaf", (0.43, 0.50, 0.57, 0.64)),
    ],
    "pouch": [
        ("poly", "body", [(0.26, 0.20), *[(0.30 + 0.04 * i, 0.17 if i % 2 == 0 else 0.20)
                                          for i in range(11)], (0.74, 0.20), (0.72, 0.84),
                          (0.28, 0.84)]),
        ("ellipse", "white", (0.36, 0.42, 0.64, 0.70)),
        ("ellipse", "shade", (0.42, 0.48, 0.58, 0.64)),
    ],
    "fruit": [
        ("ellipse", "shade", (0.34, 0.24, 0.66, 0.56)),
        ("ellipse", "body", (0.20, 0.42, 0.52, 0.74)),
        ("ellipse", "body", (0.48, 0.42, 0.80, 0.74)),
        ("ellipse", "light", (0.27, 0.48, 0.33, 0.54)),
        ("ellipse", "light", (0.55, 0.48, 0.61, 0.54)),
        ("line", "ink", [(0.50, 0.25), (0.52, 0.18)], 0.008),
        ("ellipse", "leaf", (0.52, 0.14, 0.62, 0.20)),
    ],
    "dumbbell": [
        ("rrect", "metal", (0.20, 0.47, 0.80, 0.53), 0.01),
        ("rrect", "body", (0.24, 0.32, 0.35, 0.68), 0.03),
        ("rrect", "body", (0.65, 0.32, 0.76, 0.68), 0.03),
        ("rrect", "shade", (0.35, 0.38, 0.39, 0.62), 0.01),
        ("rrect", "shade", (0.61, 0.38, 0.65, 0.62), 0.01),
    ],
    "tent": [
        ("poly", "body", [(0.50, 0.20), (0.87, 0.78), (0.13, 0.78)]),
        ("poly", "shade", [(0.50, 0.20), (0.87, 0.78), (0.66, 0.78)]),
        ("poly", "ink", [(0.50, 0.42), (0.61, 0.78), (0.39, 0.78)]),
        ("line", "shade", [(0.08, 0.79), (0.92, 0.79)], 0.008),
    ],
    "bicycle": [
        ("ring", "ink", (0.10, 0.50, 0.42, 0.82), 0.02),
        ("ring", "ink", (0.58, 0.50, 0.90, 0.82), 0.02),
        ("line", "body", [(0.26, 0.66), (0.47, 0.66), (0.41, 0.42), (0.26, 0.66)], 0.022),
        ("line", "body", [(0.41, 0.42), (0.67, 0.44), (0.47, 0.66)], 0.022),
        ("line", "body", [(0.67, 0.44), (0.74, 0.66)], 0.022),
        ("rrect", "ink", (0.36, 0.37, 0.46, 0.40), 0.01),
        ("line", "ink", [(0.64, 0.36), (0.70, 0.36)], 0.014),
    ],
}  # fmt: skip


@dataclass(frozen=True)
class PictureSpec:
    """What one demo picture shows; equal specs draw identical pictures (and share one file)."""

    shape: str
    colour: str  # a PALETTE name
    view: int = 0  # 0: the whole product; 1: a closer, turned-around view


@dataclass(frozen=True)
class StoredPicture:
    key: str
    width: int
    height: int
    original_sha256: str
    original_format: str
    original_bytes: int

    def image_fields(self) -> dict:
        """What an ItemImage showing this picture holds (its position and item aside)."""
        return {
            "key": self.key,
            "width": self.width,
            "height": self.height,
            "original_sha256": self.original_sha256,
            "original_format": self.original_format,
            "original_bytes": self.original_bytes,
        }


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))  # fmt: skip


_WHITE: RGB = (255, 255, 255)
_INK: RGB = (38, 40, 48)


def _tones(colour: RGB) -> dict[str, RGB]:
    return {
        "body": colour,
        "shade": _mix(colour, (0, 0, 0), 0.28),
        "light": _mix(colour, _WHITE, 0.55),
        "ink": _INK,
        "screen": (72, 80, 104),
        "metal": (188, 192, 200),
        "white": (246, 246, 244),
        "glass": (222, 234, 240),
        "leaf": (76, 140, 70),
    }


def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    size = (SIZE, SIZE)
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


_CLOSE_UP = 1.3


@dataclass(frozen=True)
class _Placement:
    """Where unit coordinates land on the supersampled canvas; view 1 is closer and mirrored."""

    view: int

    @property
    def zoom(self) -> float:
        return _CLOSE_UP if self.view else 1.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.view:
            x, y = 0.5 - (x - 0.5) * _CLOSE_UP, 0.54 + (y - 0.5) * _CLOSE_UP
        return x * SIZE * _SUPER, y * SIZE * _SUPER

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
        (a, b), (c, d) = self.point(x0, y0), self.point(x1, y1)
        return min(a, c), min(b, d), max(a, c), max(b, d)

    def width(self, unit: float) -> int:
        return max(1, round(unit * SIZE * _SUPER * self.zoom))

    def angles(self, start: int, end: int) -> tuple[int, int]:
        # Mirroring left-right turns an angle a into 180 - a and swaps the ends.
        return (start, end) if not self.view else ((180 - end) % 360, (180 - start) % 360 or 360)


def _stroke(draw: ImageDraw.ImageDraw, stroke: tuple, tones: dict[str, RGB], at: _Placement):
    kind, tone, geometry, *rest = stroke
    fill = tones[tone]
    if kind == "poly":
        draw.polygon([at.point(*p) for p in geometry], fill=fill)
    elif kind == "line":
        points = [at.point(*p) for p in geometry]
        draw.line(points, fill=fill, width=at.width(rest[0]), joint="curve")
    elif kind == "ellipse":
        draw.ellipse(at.box(*geometry), fill=fill)
    elif kind == "rrect":
        draw.rounded_rectangle(at.box(*geometry), radius=at.width(rest[0]), fill=fill)
    elif kind == "ring":
        draw.ellipse(at.box(*geometry), outline=fill, width=at.width(rest[0]))
    elif kind == "arc":
        start, end = at.angles(rest[0], rest[1])
        draw.arc(at.box(*geometry), start, end, fill=fill, width=at.width(rest[2]))


def draw_picture(spec: PictureSpec) -> Image.Image:
    """A square product picture: a pale gradient of the colour, the shape and its shadow."""
    colour = PALETTE[spec.colour]
    top, bottom = _mix(colour, _WHITE, 0.9), _mix(colour, _WHITE, 0.72)
    canvas = _gradient(*((bottom, top) if spec.view else (top, bottom)))
    layer = Image.new("RGBA", (SIZE * _SUPER, SIZE * _SUPER), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    tones, placement = _tones(colour), _Placement(spec.view)
    for stroke in SHAPES[spec.shape]:
        _stroke(draw, stroke, tones, placement)
    layer = layer.reduce(_SUPER)
    _drop_shadow(canvas, layer.getchannel("A"))
    canvas.paste(layer, (0, 0), layer)
    return canvas


def _drop_shadow(canvas: Image.Image, alpha: Image.Image) -> None:
    # Blurring a quarter-size mask looks the same and costs a sixteenth.
    small = alpha.resize((SIZE // 4, SIZE // 4)).filter(ImageFilter.GaussianBlur(5))
    shadow = small.resize((SIZE, SIZE)).point(lambda v: v * 50 // 255)
    canvas.paste((30, 30, 40), (SIZE // 60, SIZE // 40), shadow)


def draw_logo(initials: str, colour: str, size: int = 480) -> bytes:
    """A rounded-square shop logo with white initials, as PNG bytes ready for the upload path."""
    image = Image.new("RGB", (size, size), _WHITE)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=PALETTE[colour])
    font = ImageFont.load_default(size=size * 2 // 5)
    draw.text((size / 2, size / 2), initials, fill=_WHITE, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _store(spec: PictureSpec) -> StoredPicture:
    return store_drawn(draw_picture(spec), "PNG")


def store_drawn(image: Image.Image, fmt: str) -> StoredPicture:
    """Store a drawn picture as an upload of format `fmt` would be: variants and original."""
    checked = CheckedImage(image=image, format=fmt, width=image.width, height=image.height)
    kept = store_original(checked)
    return StoredPicture(
        store_picture(checked), image.width, image.height, kept.sha256, kept.format, kept.size_bytes
    )


def on_disk(stored: StoredPicture) -> bool:
    # store_picture writes the widths smallest first, so the largest on disk means all are.
    url = image_url(stored.key, max(settings.IMAGE_VARIANT_WIDTHS))
    original = original_path(stored.original_sha256, stored.original_format)
    return all(
        (Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL)).is_file()
        for path in (url, original)
    )


def _index_path() -> Path:
    return Path(settings.MEDIA_ROOT) / "demo" / f"pictures-v{DRAWING_VERSION}.json"


def _read_index() -> dict[PictureSpec, StoredPicture]:
    """Pictures drawn by earlier runs, so a top-up in a new process need not draw them again."""
    path = _index_path()
    if not path.is_file():
        return {}
    rows = json.loads(path.read_text())
    return {PictureSpec(*spec): StoredPicture(*stored) for spec, stored in rows}


def _write_index(index: dict[PictureSpec, StoredPicture]) -> None:
    path = _index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted([astuple(spec), astuple(stored)] for spec, stored in index.items())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows))
    tmp.replace(path)


def store_pictures(
    specs: Iterable[PictureSpec], progress: Callable[[str], None] = print
) -> dict[PictureSpec, StoredPicture]:
    """Draw and store every spec not yet on disk (about 0.1 s each, mostly WebP encoding)."""
    wanted = set(specs)
    index = _read_index()
    missing = [s for s in wanted if s not in index or not on_disk(index[s])]
    if missing:
        progress(f"Drawing {len(missing)} product pictures (kept and reused by later runs)...")
        index.update((spec, _store(spec)) for spec in missing)
        _write_index(index)
    return {spec: index[spec] for spec in wanted}
