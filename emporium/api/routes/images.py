"""POST /items/{id}/images: upload a picture (multipart); its type is sniffed from the bytes."""

from uuid import UUID

from ninja import File, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.idempotency import idempotent
from emporium.api.routes.items import own_item
from emporium.catalog import services as catalog
from emporium.resources.items import ImageOut, image_out

router = Router(tags=["items"])


@router.post("/{item_id}/images", response={201: ImageOut}, auth=Scoped("items:write"))
@idempotent
def add_image(request: ApiRequest, item_id: UUID, image: File[UploadedFile]) -> Status:
    """JPEG, PNG, WebP or GIF up to ORIGINAL_MAX_BYTES and ORIGINAL_MAX_PIXELS; the original is
    kept for zoom (`original` in the answer); the first picture becomes the main one."""
    item = own_item(request.auth.acting_for, item_id)
    return Status(201, image_out(catalog.add_image(item, image)))
