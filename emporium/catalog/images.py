"""Store pictures as content-addressed WebP variants (and item pictures' originals) and serve them
with long cache."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest

from emporium.lib.images import CheckedImage, ImageRejected, check_image, original, resized_webp
from emporium.resources.links import image_url

__all__ = [
    "ImageRejected",
    "StoredOriginal",
    "image_url",
    "read_upload",
    "store_original",
    "store_picture",
    "serve_original",
    "serve_picture",
]

ORIGINAL_TYPES = {"jpeg": "image/jpeg", "png": "image/png"}


def _variant_path(key: str, width: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "pictures" / key[:2] / f"{key}_{width}.webp"


def read_upload(upload: UploadedFile, *, zoomable: bool = False) -> CheckedImage:
    """Read at most the limit plus one byte, so a huge upload is refused without reading it all.
    Item pictures are `zoomable`: their original is kept, so they may be as large as zoom
    photography needs (ORIGINAL_MAX_BYTES, ORIGINAL_MAX_PIXELS)."""
    limit = settings.ORIGINAL_MAX_BYTES if zoomable else settings.IMAGE_MAX_BYTES
    pixels = settings.ORIGINAL_MAX_PIXELS if zoomable else settings.IMAGE_MAX_PIXELS
    upload.seek(0)
    data = upload.read(limit + 1)
    return check_image(data, max_bytes=limit, max_pixels=pixels)


def _write_once(path: Path, data: bytes) -> bool:
    """Write `path` whole or not at all; False when it was already there."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer, so two uploads of one picture never write into one file.
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    return True


def store_picture(checked: CheckedImage) -> str:
    """Write every width variant and return the content key; identical pictures share files.
    All or nothing: when one variant cannot be written (a full disk), those this call wrote
    are removed again, so no picture is left with some of its sizes."""
    variants = {w: resized_webp(checked.image, w) for w in settings.IMAGE_VARIANT_WIDTHS}
    key = hashlib.sha256(variants[max(variants)]).hexdigest()[:32]
    written: list[Path] = []
    try:
        for width, data in variants.items():
            path = _variant_path(key, width)
            if _write_once(path, data):
                written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return key


@dataclass(frozen=True)
class StoredOriginal:
    sha256: str
    format: str  # a key of ORIGINAL_TYPES
    size_bytes: int


def _original_path(sha256: str, fmt: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "originals" / sha256[:2] / f"{sha256}.{fmt}"


def store_original(checked: CheckedImage) -> StoredOriginal:
    """Keep the full-size upright picture for zoom, named by the SHA-256 of its stored bytes."""
    kept = original(checked)
    sha256 = hashlib.sha256(kept.data).hexdigest()
    _write_once(_original_path(sha256, kept.format), kept.data)
    return StoredOriginal(sha256, kept.format, len(kept.data))


def serve_picture(request: HttpRequest, shard: str, name: str) -> FileResponse:
    """Files are named by content hash, so a browser may keep them for a year."""
    if len(shard) != 2 or "/" in name or not name.endswith(".webp") or not name.startswith(shard):
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "pictures" / shard / name
    if not path.is_file():
        raise Http404
    return _immutable(path, "image/webp")


def serve_original(request: HttpRequest, shard: str, name: str) -> FileResponse:
    sha256, _, fmt = name.partition(".")
    if len(sha256) != 64 or not sha256.startswith(shard) or fmt not in ORIGINAL_TYPES:
        raise Http404
    if any(c not in "0123456789abcdef" for c in sha256):
        raise Http404
    path = _original_path(sha256, fmt)
    if not path.is_file():
        raise Http404
    return _immutable(path, ORIGINAL_TYPES[fmt])


def _immutable(path: Path, content_type: str) -> FileResponse:
    """Files are named by content hash, so a browser may keep them for a year."""
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
