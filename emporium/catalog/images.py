"""Store item and shop pictures as content-addressed WebP variants and serve them with long cache."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest

from emporium.lib.images import CheckedImage, ImageRejected, check_image, resized_webp
from emporium.resources.links import image_url

__all__ = ["ImageRejected", "image_url", "read_upload", "store_picture", "serve_picture"]


def _variant_path(key: str, width: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "pictures" / key[:2] / f"{key}_{width}.webp"


def read_upload(upload: UploadedFile) -> CheckedImage:
    """Read at most the limit plus one byte, so a huge upload is refused without reading it all."""
    limit = settings.IMAGE_MAX_BYTES
    upload.seek(0)
    data = upload.read(limit + 1)
    return check_image(data, max_bytes=limit, max_pixels=settings.IMAGE_MAX_PIXELS)


def store_picture(checked: CheckedImage) -> str:
    """Write every width variant and return the content key; identical pictures share files."""
    variants = {w: resized_webp(checked.image, w) for w in settings.IMAGE_VARIANT_WIDTHS}
    key = hashlib.sha256(variants[max(variants)]).hexdigest()[:32]
    for width, data in variants.items():
        path = _variant_path(key, width)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic: a reader never sees half a file
    return key


def serve_picture(request: HttpRequest, shard: str, name: str) -> FileResponse:
    """Files are named by content hash, so a browser may keep them for a year."""
    if len(shard) != 2 or "/" in name or not name.endswith(".webp") or not name.startswith(shard):
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "pictures" / shard / name
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
