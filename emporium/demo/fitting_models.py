"""The demo's fitting-room models: real portrait photos on drawn bodies of several builds.

No photo of a dressed model ships in any package, so the demo composes them: the head and
shoulders of a real portrait (scikit-image's astronaut, matplotlib's Grace Hopper — both public
domain) on a body drawn with Pillow, as wide as the model's build and wearing the item's colour.
The face is a real photograph, so the fitting room detects it and swaps it like any other.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1000, 1600  # the "1,600-pixel model photo" of the issue and the bench


@dataclass(frozen=True)
class DemoModel:
    name: str
    height_cm: int
    weight_kg: float
    shape: str
    size: str
    portrait: str  # "astronaut" or "grace"
    mirrored: bool = False


MODELS = [
    DemoModel("Mia", 158, 46, "slim", "S", "astronaut"),
    DemoModel("Lena", 167, 57, "average", "M", "grace"),
    DemoModel("Rosa", 170, 70, "curvy", "L", "astronaut", mirrored=True),
    DemoModel("Ivy", 177, 64, "athletic", "M", "grace", mirrored=True),
]


def _portrait(name: str) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The portrait and the box (left, top, right, bottom) of its head with some hair."""
    if name == "astronaut":
        from skimage import data

        return Image.fromarray(data.astronaut()), (150, 10, 310, 215)
    from matplotlib import cbook

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    return Image.open(str(path)).convert("RGB"), (140, 90, 390, 370)


def compose(model: DemoModel, colour: tuple[int, int, int]) -> bytes:
    """A JPEG of `model` in a dress of `colour`: build from height and weight."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (236, 232, 226))
    draw = ImageDraw.Draw(canvas)
    for y in range(HEIGHT):  # a studio backdrop, lighter at the top
        shade = 240 - y * 30 // HEIGHT
        draw.line([(0, y), (WIDTH, y)], fill=(shade, shade - 4, shade - 10))
    bmi = model.weight_kg / (model.height_cm / 100) ** 2
    body = 150 + (bmi - 18) * 14  # half-width of the hips, px
    shoulders = 120 + (bmi - 18) * 8 + (25 if model.shape == "athletic" else 0)
    waist = body * (0.62 if model.shape in {"curvy", "slim"} else 0.75)
    cx, neck_y = WIDTH // 2, 430
    skin = (224, 182, 160)
    # Legs and arms first, the dress over them.
    for side in (-1, 1):
        draw.polygon([(cx + side * 30, 1150), (cx + side * (body * 0.55), 1150),
                      (cx + side * 70, 1560), (cx + side * 25, 1560)], fill=skin)  # fmt: skip
        draw.polygon([(cx + side * shoulders, neck_y + 60), (cx + side * (shoulders + 45), neck_y + 90),
                      (cx + side * (body + 60), 1020), (cx + side * (body + 20), 1030)], fill=skin)  # fmt: skip
    draw.rectangle([cx - 45, neck_y - 40, cx + 45, neck_y + 50], fill=skin)
    dress = [(cx - shoulders, neck_y + 50), (cx + shoulders, neck_y + 50),
             (cx + waist, 760), (cx + body * 1.25, 1180), (cx - body * 1.25, 1180),
             (cx - waist, 760)]  # fmt: skip
    draw.polygon(dress, fill=colour)
    draw.line([(cx - waist, 760), (cx + waist, 760)], fill=tuple(c // 2 for c in colour), width=8)
    portrait, box = _portrait(model.portrait)
    head = portrait.crop(box)
    if model.mirrored:
        head = head.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    head_width = 300
    head = head.resize((head_width, round(head.height * head_width / head.width)),
                       Image.Resampling.LANCZOS)  # fmt: skip
    mask = Image.new("L", head.size, 0)
    ImageDraw.Draw(mask).ellipse([8, 4, head.width - 8, head.height - 2], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(10))
    canvas.paste(head, (cx - head_width // 2, neck_y + 75 - head.height), mask)
    out = io.BytesIO()
    canvas.save(out, format="JPEG", quality=90)
    return out.getvalue()
