"""Draw high-resolution fabric close-ups for the demo: detail that only a zoom viewer shows.

Each close-up is a woven cloth (threads passing over and under), a printed logo, and a sewn-in
wash-care label whose small print is readable at full size but a blur in the 1200-pixel copy the
item page shows — the reason zoom apps exist.
"""

import json
import random
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from emporium.samples.pictures import StoredPicture, on_disk, store_drawn
from emporium.samples.words import PALETTE

WIDTH, HEIGHT = 4800, 3600  # 17 Mpx: four times the item page's largest copy
THREAD = 12  # pixels per thread: at 1200 px wide the weave blurs into a flat colour


@dataclass(frozen=True)
class CloseUp:
    colour: str  # a PALETTE name
    fibre: str
    wash: int  # degrees Celsius
    origin: str


CLOSE_UPS = (
    CloseUp("Navy", "100% COTTON", 30, "WOVEN IN SUZHOU"),
    CloseUp("Burgundy", "55% LINEN 45% COTTON", 40, "WOVEN IN HANGZHOU"),
    CloseUp("Olive", "100% WOOL", 30, "WOVEN IN NINGBO"),
)


def draw_close_up(spec: CloseUp) -> Image.Image:
    cloth = _weave(PALETTE[spec.colour], random.Random(spec.colour))
    _print_logo(cloth)
    _sew_label(cloth, spec)
    return cloth


def _weave(colour: tuple[int, int, int], rng: random.Random) -> Image.Image:
    """A plain weave: one tile of two threads each way, repeated; then slow irregular shading."""
    tile = Image.new("RGB", (2 * THREAD, 2 * THREAD), colour)
    draw = ImageDraw.Draw(tile)
    light = tuple(min(255, c + 45) for c in colour)
    dark = tuple(max(0, c - 55) for c in colour)
    for n, (x, y) in enumerate([(0, 0), (THREAD, THREAD), (THREAD, 0), (0, THREAD)]):
        over_warp = n < 2  # the warp thread lies on top here, else the weft
        for i in range(THREAD):
            shade = _shade(colour, light, dark, i / (THREAD - 1))
            if over_warp:
                draw.line((x + i, y, x + i, y + THREAD - 1), fill=shade)
            else:
                draw.line((x, y + i, x + THREAD - 1, y + i), fill=shade)
    row = Image.new("RGB", (WIDTH, 2 * THREAD))
    for x in range(0, WIDTH, tile.width):
        row.paste(tile, (x, 0))
    cloth = Image.new("RGB", (WIDTH, HEIGHT))
    for y in range(0, HEIGHT, row.height):
        cloth.paste(row, (0, y))
    # Slubs and dye variation: low-frequency noise, blown up and blended in softly.
    noise = Image.effect_noise((WIDTH // 64, HEIGHT // 64), 40 + rng.random() * 10)
    noise = noise.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC).convert("RGB")
    return Image.blend(cloth, noise, 0.12)


def _shade(base, light, dark, t: float) -> tuple[int, int, int]:
    """A thread is round: light in its middle, dark at its edges."""
    edge = abs(t - 0.5) * 2
    mid = tuple(round(b + (lt - b) * (1 - edge)) for b, lt in zip(base, light, strict=True))
    return tuple(round(m + (d - m) * edge**3) for m, d in zip(mid, dark, strict=True))


def _print_logo(cloth: Image.Image) -> None:
    """A screen-printed mark: ink sits on the threads, so the weave shows through it."""
    ink = Image.new("L", cloth.size, 0)
    draw = ImageDraw.Draw(ink)
    cx, cy, r = WIDTH * 0.32, HEIGHT * 0.42, HEIGHT * 0.22
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=230, width=round(r * 0.08))
    font = ImageFont.load_default(size=round(r * 0.55))
    draw.text((cx, cy), "EMP", fill=230, font=font, anchor="mm")
    small = ImageFont.load_default(size=round(r * 0.13))
    draw.text((cx, cy + r * 0.55), "EST. 2026", fill=230, font=small, anchor="mm")
    ink = ink.filter(ImageFilter.GaussianBlur(1.2))
    cloth.paste((245, 240, 225), mask=ink)


def _sew_label(cloth: Image.Image, spec: CloseUp) -> None:
    """A satin label with care symbols and print 17 px high: four pixels in the 1200-pixel
    copy (a grey smudge), sharp when zoomed in."""
    w, h = 860, 470
    label = Image.new("RGB", (w, h), (250, 248, 240))
    draw = ImageDraw.Draw(label)
    draw.rectangle((0, 0, w - 1, h - 1), outline=(200, 195, 180), width=6)
    ink = (40, 40, 48)
    _care_symbols(draw, 60, 50, ink, spec.wash)
    font = ImageFont.load_default(size=17)
    lines = [
        spec.fibre,
        f"MACHINE WASH {spec.wash}°C GENTLE · DO NOT BLEACH",
        "IRON LOW · DO NOT TUMBLE DRY · DRY FLAT IN SHADE",
        "WASH DARK COLOURS SEPARATELY",
        f"{spec.origin} · EMPORIUM DEMO",
        "STYLE 2026-0418 · LOT 7731",
    ]
    for n, line in enumerate(lines):
        draw.text((60, 200 + n * 40), line, fill=ink, font=font)
    x, y = round(WIDTH * 0.64), round(HEIGHT * 0.6)
    shadow = Image.new("L", (w + 40, h + 40), 0)
    ImageDraw.Draw(shadow).rectangle((20, 20, w + 20, h + 20), fill=110)
    cloth.paste((0, 0, 0), (x - 4, y + 6), mask=shadow.filter(ImageFilter.GaussianBlur(12)))
    cloth.paste(label.rotate(-2, expand=False, fillcolor=(250, 248, 240)), (x, y))


def _care_symbols(draw: ImageDraw.ImageDraw, x: int, y: int, ink, wash: int) -> None:
    """The ISO 3758 pictograms: wash tub, crossed triangle, iron, crossed tumble drier, flat dry."""
    step, size = 150, 100
    font = ImageFont.load_default(size=34)
    # wash tub with the temperature
    draw.polygon([(x, y + 30), (x + size, y + 30), (x + size - 14, y + size), (x + 14, y + size)],
                 outline=ink, width=6)  # fmt: skip
    draw.line((x, y + 30, x + 25, y + 15, x + 55, y + 30, x + 85, y + 15, x + size, y + 30),
              fill=ink, width=5)  # fmt: skip
    draw.text((x + size / 2, y + 72), str(wash), fill=ink, font=font, anchor="mm")
    # do not bleach
    x += step
    draw.polygon(
        [(x + size / 2, y + 10), (x + size, y + size), (x, y + size)], outline=ink, width=6
    )
    draw.line((x, y + size, x + size, y + 10), fill=ink, width=6)
    draw.line((x, y + 10, x + size, y + size), fill=ink, width=6)
    # iron, low (one dot)
    x += step
    draw.polygon([(x + 20, y + 40), (x + size, y + 40), (x + size, y + size), (x, y + size)],
                 outline=ink, width=6)  # fmt: skip
    draw.ellipse((x + 55, y + 68, x + 69, y + 82), fill=ink)
    # do not tumble dry
    x += step
    draw.rectangle((x, y + 10, x + size, y + size), outline=ink, width=6)
    draw.ellipse((x + 18, y + 28, x + size - 18, y + size - 18), outline=ink, width=6)
    draw.line((x, y + 10, x + size, y + size), fill=ink, width=6)
    draw.line((x, y + size, x + size, y + 10), fill=ink, width=6)
    # dry flat
    x += step
    draw.rectangle((x, y + 10, x + size, y + size), outline=ink, width=6)
    draw.line((x + 20, y + 60, x + size - 20, y + 60), fill=ink, width=6)


CLOSE_UP_VERSION = 1  # bump when a change to the drawing should redraw the close-ups


def store_close_ups(progress: Callable[[str], None] = print) -> list[StoredPicture]:
    """Draw and store every close-up not yet on disk (about 1.5 s each), in CLOSE_UPS order."""
    path = Path(settings.MEDIA_ROOT) / "demo" / f"closeups-v{CLOSE_UP_VERSION}.json"
    if path.is_file():
        stored = [StoredPicture(*row) for row in json.loads(path.read_text())]
        if len(stored) == len(CLOSE_UPS) and all(on_disk(s) for s in stored):
            return stored
    progress(f"Drawing {len(CLOSE_UPS)} high-resolution fabric close-ups for zoom...")
    # JPEG: a photograph of cloth is kept as one, and a PNG of woven texture would be 4x larger.
    stored = [store_drawn(draw_close_up(spec), "JPEG") for spec in CLOSE_UPS]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([astuple(s) for s in stored]))
    tmp.replace(path)
    return stored
