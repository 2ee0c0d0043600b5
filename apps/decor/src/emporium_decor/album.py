"""The album: every picture of the shop in one place — import, upload, find, duplicates, move, delete.

Pictures stay on the platform (it serves them; designs and descriptions may show nothing else).
The album indexes them and adds what sellers search by: folder, tags, item, dominant colour, and
a difference hash (dHash) that finds the same photograph saved twice at different sizes or
qualities — a byte hash would miss those.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from emporium_sdk import Client, ConflictError, NotFoundError
from emporium_sdk.models import ItemOut, PictureOut
from PIL import Image, UnidentifiedImageError

from emporium_decor.store import Picture, Store

log = logging.getLogger(__name__)
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
DUPLICATE_BITS = 6  # dHashes at most this many bits apart (of 64) show the same photograph
# Named colours a seller searches by ("red", "blue"), with a representative RGB each.
PALETTE = {
    "red": (200, 40, 40), "orange": (235, 140, 40), "yellow": (235, 210, 60),
    "green": (60, 150, 70), "blue": (50, 90, 190), "purple": (130, 60, 160),
    "pink": (235, 140, 170), "brown": (130, 85, 50), "black": (25, 25, 25),
    "white": (240, 240, 240), "grey": (140, 140, 140),
}  # fmt: skip


class PictureRefused(ValueError):
    """An upload the app will not send on: the message says why, for the seller."""


@dataclass
class Analysis:
    colour: str
    dhash: str


# --- looking at pixels -------------------------------------------------------------------


def check_picture(data: bytes, max_bytes: int) -> Image.Image:
    """The picture, opened and verified; `PictureRefused` for oversized, corrupt or bomb files."""
    if not data:
        raise PictureRefused("the file is empty")
    if len(data) > max_bytes:
        raise PictureRefused(
            f"the file is {len(data) / 1e6:.1f} MB; pictures may be at most {max_bytes / 1e6:.0f} MB"
        )
    try:
        probe = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:
        raise PictureRefused(f"the picture has too many pixels (at most {MAX_PIXELS:,})") from None
    except (UnidentifiedImageError, OSError):
        raise PictureRefused("this is not a picture (JPEG, PNG, WebP or GIF)") from None
    if probe.format not in FORMATS:
        raise PictureRefused(f"{probe.format} pictures are not taken: JPEG, PNG, WebP or GIF")
    if probe.width * probe.height > MAX_PIXELS:
        raise PictureRefused(
            f"{probe.width} × {probe.height} pixels is too many (at most {MAX_PIXELS:,})"
        )
    try:
        probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()  # a truncated file fails here, not later at the platform
    except (OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise PictureRefused("the picture is damaged and cannot be read") from None
    return image


def analyse(image: Image.Image) -> Analysis:
    """Dominant colour (by name) and a 64-bit difference hash."""
    small = image.convert("RGB").resize((32, 32))
    counts: dict[str, int] = {}
    for pixel in small.get_flattened_data():
        name = nearest_colour(pixel)
        counts[name] = counts.get(name, 0) + 1
    grey = image.convert("L").resize((9, 8))
    pixels: list[Any] = list(grey.get_flattened_data())  # "L": one int per pixel
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = bits << 1 | (left > right)
    return Analysis(colour=max(counts, key=lambda k: counts[k]), dhash=f"{bits:016x}")


def nearest_colour(rgb: Any) -> str:
    r, g, b = rgb[:3]
    return min(
        PALETTE,
        key=lambda n: (
            (PALETTE[n][0] - r) ** 2 + (PALETTE[n][1] - g) ** 2 + (PALETTE[n][2] - b) ** 2
        ),
    )


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


# --- from the platform -------------------------------------------------------------------


def item_pictures(item: ItemOut) -> list[Picture]:
    return [
        Picture(
            album_id=f"item-{item.id}-{image.id}",
            source="item",
            key=image.key,
            name=f"{item.title} #{image.position + 1}",
            url=image.urls.get("1200", ""),
            thumbnail_url=image.urls.get("240", ""),
            width=image.width,
            height=image.height,
            item_id=item.id,
            item_title=item.title,
            position=image.position,
        )  # fmt: skip
        for image in sorted(item.images, key=lambda i: i.position)
    ]


def space_picture(picture: PictureOut, tags: list[str] | None = None) -> Picture:
    return Picture(
        album_id=f"pic-{picture.id}", source="space", key=picture.key, name=picture.name,
        url=picture.url, thumbnail_url=picture.thumbnail_url, width=picture.width,
        height=picture.height, picture_id=picture.id, folder=picture.folder, tags=tags or [],
    )  # fmt: skip


def import_shop(client: Client, store: Store, shop_id: str) -> int:
    """Every item picture and every picture of the space into the album; returns how many."""
    found: list[Picture] = []
    for status in ("on_sale", "stock_room"):
        for item in client.items.list(limit=100, status=status):
            found += item_pictures(item)
    found += [space_picture(p) for p in client.pictures.list(limit=100)]
    store.put_pictures(shop_id, found)
    return len(found)


def refresh_item(
    store: Store, shop_id: str, item: dict[str, Any] | None, deleted: str | None
) -> None:
    """An item event: its pictures in the album follow the item."""
    if deleted:
        store.drop_item_pictures(shop_id, deleted, keep=set())
        return
    if item is None:
        return
    parsed = ItemOut.model_validate(item)
    pictures = item_pictures(parsed)
    store.put_pictures(shop_id, pictures)
    store.drop_item_pictures(shop_id, parsed.id, keep={p.album_id for p in pictures})


def analyse_missing(store: Store, shop_id: str, limit: int = 500) -> int:
    """Colour and hash for pictures not looked at yet, from their 240 px thumbnails."""
    todo = store.pictures(shop_id, "dhash IS NULL")[:limit]
    done = 0
    with httpx.Client(timeout=20, follow_redirects=True) as http:
        for picture in todo:
            try:
                answer = http.get(picture.thumbnail_url)
                answer.raise_for_status()
                found = analyse(Image.open(io.BytesIO(answer.content)))
            except (httpx.HTTPError, OSError) as error:
                log.warning("could not analyse %s: %s", picture.album_id, error)
                continue
            store.update_picture(shop_id, picture.album_id, colour=found.colour, dhash=found.dhash)
            done += 1
    return done


# --- what the seller does -------------------------------------------------------------------


def upload(
    client: Client, store: Store, shop_id: str, data: bytes, *, name: str, folder: str = "",
    tags: Iterable[str] = (), fingerprint: str = "", max_bytes: int,
) -> Picture:  # fmt: skip
    """Check the file, send it to the picture space, index it. A fingerprint already uploaded
    (a retry after a failure) returns the earlier picture instead of a second copy."""
    if fingerprint:
        done = store.uploaded(shop_id, [fingerprint])
        earlier = store.picture(shop_id, done[fingerprint]) if done else None
        if earlier:
            return earlier
    image = check_picture(data, max_bytes)
    found = analyse(image)
    made = client.pictures.upload(
        data, name=name[:120] or "picture", folder=folder or None, filename=name or "upload",
        idempotency_key=f"decor-{shop_id}-{fingerprint}" if fingerprint else None,
    )  # fmt: skip
    picture = space_picture(made, tags=clean_tags(tags))
    picture.colour, picture.dhash = found.colour, found.dhash
    store.put_pictures(shop_id, [picture])
    store.update_picture(shop_id, picture.album_id, colour=found.colour, dhash=found.dhash)
    if fingerprint:
        store.mark_uploaded(shop_id, fingerprint, picture.album_id)
    return picture


def clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = tag.strip().lower()[:30]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:20]


@dataclass
class Query:
    text: str = ""
    tag: str = ""
    item: str = ""
    colour: str = ""
    folder: str | None = None


def find(store: Store, shop_id: str, query: Query) -> list[Picture]:
    text, tag, item = query.text.lower(), query.tag.lower(), query.item.lower()
    return [
        p for p in store.pictures(shop_id)
        if (not text or text in p.name.lower() or text in p.item_title.lower())
        and (not tag or tag in p.tags)
        and (not item or item == (p.item_id or "") or item in p.item_title.lower())
        and (not query.colour or p.colour == query.colour)
        and (query.folder is None or p.folder == query.folder)
    ]  # fmt: skip


def duplicates(store: Store, shop_id: str) -> list[list[Picture]]:
    """Groups of pictures showing the same photograph: one content key, or close dHashes."""
    pictures = store.pictures(shop_id)
    groups: list[list[Picture]] = []
    for picture in pictures:
        for group in groups:
            first = group[0]
            same = first.key == picture.key or (
                first.dhash
                and picture.dhash
                and distance(first.dhash, picture.dhash) <= DUPLICATE_BITS
            )
            if same:
                group.append(picture)
                break
        else:
            groups.append([picture])
    return [g for g in groups if len(g) > 1]


def move(client: Client, store: Store, shop_id: str, album_ids: list[str], folder: str) -> int:
    """Into `folder`; a picture-space picture moves on the platform too."""
    folder = folder.strip().strip("/")
    moved = 0
    for album_id in album_ids:
        picture = store.picture(shop_id, album_id)
        if picture is None:
            continue
        if picture.picture_id:
            client.pictures.update(picture.picture_id, folder=folder)
        store.update_picture(shop_id, album_id, folder=folder)
        moved += 1
    return moved


@dataclass
class DeleteResult:
    deleted: list[str] = field(default_factory=list)
    in_use: list[dict[str, Any]] = field(default_factory=list)  # asked first: where it is used
    kept: list[dict[str, str]] = field(default_factory=list)  # item pictures stay with their item


def delete(
    client: Client, store: Store, shop_id: str, album_ids: list[str], *, confirmed: bool
) -> DeleteResult:
    """Delete pictures of the space. One in use is deleted only when `confirmed` (the seller
    saw where it is used); item pictures belong to their item and are not deleted here."""
    result = DeleteResult()
    for album_id in album_ids:
        picture = store.picture(shop_id, album_id)
        if picture is None:
            continue
        if picture.picture_id is None:
            result.kept.append({"id": album_id, "name": picture.name, "item": picture.item_title})
            continue
        try:
            client.pictures.delete(picture.picture_id, force=confirmed or None)
        except ConflictError:
            result.in_use.append({"id": album_id, "name": picture.name,
                                  "where": where_used(client, picture.picture_id)})  # fmt: skip
            continue
        except NotFoundError:
            pass  # deleted elsewhere already: the album forgets it too
        store.delete_picture(shop_id, album_id)
        result.deleted.append(album_id)
    return result


def where_used(client: Client, picture_id: str) -> list[str]:
    usage = client.pictures.usage(picture_id)
    places = [f"item “{use.title}” ({use.where})" for use in usage.items]
    for design in usage.designs:
        if design.where == "version":
            places.append(f"design version {design.version}")
        else:
            places.append(f"design {design.where}")
    return places
