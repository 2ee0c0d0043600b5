"""The shop's picture space: upload, list by folder, see where a picture is used, move, delete."""

from uuid import UUID

from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import not_found
from emporium.api.idempotency import idempotent
from emporium.api.pagination import paginate
from emporium.api.schemas.design import PictureFilter, PicturePatch, PictureUploadForm
from emporium.pictures import services, usage
from emporium.pictures.models import Picture
from emporium.resources.common import Page
from emporium.resources.pictures import (
    DesignUseOut,
    FolderOut,
    ItemUseOut,
    PictureOut,
    PictureSpaceOut,
    PictureUsageOut,
    picture_out,
)
from emporium.shops.models import Shop

router = Router(tags=["pictures"])
READ, WRITE = Scoped("pictures:read"), Scoped("pictures:write")


def _own(shop: Shop, picture_id: UUID) -> Picture:
    picture = Picture.objects.filter(shop=shop, public_id=picture_id).select_related("shop").first()
    if picture is None:
        raise not_found()
    return picture


@router.post("", response={201: PictureOut}, auth=WRITE)
@idempotent
def upload_picture(
    request: ApiRequest,
    image: File[UploadedFile],
    form: Form[PictureUploadForm],
) -> Status:
    """JPEG, PNG, WebP or GIF up to IMAGE_MAX_BYTES, sniffed from the bytes; stored as WebP
    variants and counted against the shop's quota (PICTURE_SPACE_QUOTA_BYTES)."""
    shop = request.auth.acting_for
    picture = services.add_picture(shop, image, name=form.name, folder=form.folder)
    return Status(201, picture_out(picture))


@router.get("", response=Page[PictureOut], auth=READ)
def list_pictures(request: ApiRequest, filters: Query[PictureFilter]) -> dict:
    """Newest first; `folder` narrows to one folder ("" is the top level)."""
    rows = Picture.objects.filter(shop=request.auth.acting_for)
    if filters.folder is not None:
        rows = rows.filter(folder=filters.folder.strip("/"))
    page, cursor = paginate(rows, filters, key="created_at", descending=True, name="pictures")
    return {"data": [picture_out(p) for p in page], "next_cursor": cursor}


@router.get("/space", response=PictureSpaceOut, auth=READ)
def picture_space(request: ApiRequest) -> PictureSpaceOut:
    """How much of the quota is used, and the folders with how many pictures each holds."""
    shop = request.auth.acting_for
    folders = services.folders(shop)
    return PictureSpaceOut(
        used_bytes=services.used_bytes(shop),
        quota_bytes=services.quota_bytes(),
        pictures=sum(n for _, n in folders),
        folders=[FolderOut(name=name, pictures=n) for name, n in folders],
    )


@router.get("/{picture_id}", response=PictureOut, auth=READ)
def get_picture(request: ApiRequest, picture_id: UUID) -> PictureOut:
    return picture_out(_own(request.auth.acting_for, picture_id))


@router.get("/{picture_id}/usage", response=PictureUsageOut, auth=READ)
def picture_usage(request: ApiRequest, picture_id: UUID) -> PictureUsageOut:
    """The items (pictures or description) and designs (draft, live, versions, schedules)
    that show this picture."""
    picture = _own(request.auth.acting_for, picture_id)
    found = usage.usage_of(picture)
    return PictureUsageOut(
        picture_id=picture.public_id,
        items=[ItemUseOut(id=i.public_id, title=i.title, where=w) for i, w in found.items],  # type: ignore[arg-type]
        designs=[
            DesignUseOut(where=where, version=number, schedule_id=schedule)  # type: ignore[arg-type]
            for where, number, schedule in found.designs
        ],
    )


@router.patch("/{picture_id}", response=PictureOut, auth=WRITE)
def update_picture(request: ApiRequest, picture_id: UUID, payload: PicturePatch) -> PictureOut:
    """Rename a picture or move it to another folder."""
    picture = _own(request.auth.acting_for, picture_id)
    return picture_out(services.update_picture(picture, name=payload.name, folder=payload.folder))


@router.delete("/{picture_id}", response={204: None}, auth=WRITE)
def delete_picture(request: ApiRequest, picture_id: UUID, force: bool = False) -> Status:
    """Take a picture out of the space. One in use (items, the draft, the live design, a
    schedule) is refused with 409 picture_in_use saying where, unless `force=true`."""
    usage.delete_picture(_own(request.auth.acting_for, picture_id), force=force)
    return Status(204, None)
