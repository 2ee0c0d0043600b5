"""QR codes as inline SVG, for links a buyer opens on a phone (device sign-in, payment confirmation)."""

import segno


def svg(text: str, scale: int = 4) -> str:
    """An <svg> element encoding `text`, safe to place in a page (it holds no script)."""
    return segno.make(text, error="m").svg_inline(scale=scale, dark="#111", light="#fff")
