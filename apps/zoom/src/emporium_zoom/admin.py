"""What the seller's admin page and the buyer's viewer show, computed from the store."""

from dataclasses import dataclass, field

from emporium_zoom.store import Picture, Pyramid, Store
from emporium_zoom.tiler import FORMAT, OVERLAP, TILE_SIZE


@dataclass
class Row:
    """One item in the admin page."""

    item_id: str
    title: str
    pictures: list[dict[str, object]] = field(default_factory=list)

    @property
    def zoomable(self) -> bool:
        return any(p["state"] == "done" for p in self.pictures)


def shop_rows(store: Store, shop_id: str, min_side: int) -> list[Row]:
    found = store.shop_pictures(shop_id)
    pyramids = store.pyramids([p.sha256 for _, p in found if p.sha256])
    rows: dict[str, Row] = {}
    for item, picture in found:
        row = rows.setdefault(item["item_id"], Row(item["item_id"], item["title"]))
        row.pictures.append(describe(picture, pyramids.get(picture.sha256 or ""), min_side))
    return list(rows.values())


def describe(picture: Picture, pyramid: Pyramid | None, min_side: int) -> dict[str, object]:
    side = max(picture.width, picture.height)
    state = pyramid.state if pyramid else "none"
    return {
        "position": picture.position,
        "sha256": picture.sha256,
        "state": state,
        "w": picture.width,
        "h": picture.height,
        "side": side,
        "need": min_side,
        "factor": f"{min_side / side:.1f}" if side else "∞",
        "reason": pyramid.reason if pyramid else "",
        "preview": picture.preview_url,
    }


def progress(store: Store, shop_id: str) -> dict[str, int]:
    counts = store.counts(shop_id)
    tiled = ("done", "queued", "tiling", "failed")
    return {
        "done": counts.get("done", 0),
        "total": sum(counts.get(s, 0) for s in tiled),
        "failed": counts.get("failed", 0),
        "small": counts.get("small", 0),
        "disk_bytes": counts["disk_bytes"],
    }


def viewer_sources(
    store: Store, shop_id: str, item_id: str, tiles_url: str, min_side: int
) -> list[dict[str, object]]:
    """The item's pictures in order, for OpenSeadragon: a Deep Zoom source inline (no XML to
    fetch across origins) for a tiled picture, the plain 1200-pixel copy otherwise."""
    pictures = store.pictures(shop_id, item_id)
    pyramids = store.pyramids([p.sha256 for p in pictures if p.sha256])
    sources: list[dict[str, object]] = []
    for picture in pictures:
        pyramid = pyramids.get(picture.sha256 or "")
        if pyramid and pyramid.state == "done" and picture.sha256:
            sha = picture.sha256
            sources.append({
                "zoom": True, "width": picture.width, "height": picture.height,
                "tileSource": {"Image": {
                    "xmlns": "http://schemas.microsoft.com/deepzoom/2008",
                    "Url": f"{tiles_url}/{sha[:2]}/{sha}_files/", "Format": FORMAT,
                    "Overlap": str(OVERLAP), "TileSize": str(TILE_SIZE),
                    "Size": {"Width": str(picture.width), "Height": str(picture.height)},
                }},
            })  # fmt: skip
        else:
            small = max(picture.width, picture.height) < min_side
            sources.append({
                "zoom": False, "width": picture.width, "height": picture.height,
                "url": picture.preview_url, "why": "too_small" if small else "preparing",
            })  # fmt: skip
    return sources


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
