"""Add pictures to a shop's space and take them out; the checks are the item pictures' own."""

import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.catalog.models import ItemImage
from emporium.lib.errors import DomainError
from emporium.pictures.models import Picture
from emporium.shops.models import Shop

# "banners" or "banners/summer-2026": up to three levels of letters, digits, spaces, - and _.
FOLDER = re.compile(r"^[\w \-]{1,40}(/[\w \-]{1,40}){0,2}$")


class PictureError(DomainError):
    pass


def check_folder(folder: str) -> str:
    folder = folder.strip().strip("/")
    if folder and (not FOLDER.match(folder) or len(folder) > 120):
        raise PictureError(
            _("A folder is up to three names separated by /, each of letters, digits, - or _."),
            field="folder",
        )
    return folder


def used_bytes(shop: Shop) -> int:
    return Picture.objects.filter(shop=shop).aggregate(total=Sum("size_bytes"))["total"] or 0


def add_picture(shop: Shop, upload: UploadedFile, *, name: str = "", folder: str = "") -> Picture:
    """Check the bytes (type sniffed, size, pixel bombs), store the variants, count the quota."""
    folder = check_folder(folder)
    name = (name or upload.name or "").strip()[:120]
    checked = read_upload(upload)
    size = int(upload.size or 0)
    key = store_picture(checked)
    with transaction.atomic():
        # The shop row is the lock: two uploads at once cannot both squeeze under the quota.
        Shop.objects.select_for_update().filter(pk=shop.pk).first()
        quota = quota_bytes()
        used = used_bytes(shop)
        if used + size > quota:
            raise PictureError(
                _(
                    "The picture space is full: %(used)s of %(quota)s bytes are used and this "
                    "picture needs %(size)s more. Delete pictures you no longer use."
                )
                % {"used": f"{used:,}", "quota": f"{quota:,}", "size": f"{size:,}"},
                code="picture_quota_exceeded",
                status=409,
            )
        return Picture.objects.create(
            shop=shop,
            key=key,
            name=name,
            folder=folder,
            width=checked.width,
            height=checked.height,
            size_bytes=size,
        )


def folders(shop: Shop) -> list[tuple[str, int]]:
    rows = Picture.objects.filter(shop=shop).values("folder").annotate(n=Count("id"))
    return sorted((row["folder"], row["n"]) for row in rows.order_by())


def quota_bytes() -> int:
    return int(settings.PICTURE_SPACE_QUOTA_BYTES)


def update_picture(
    picture: Picture, *, name: str | None = None, folder: str | None = None
) -> Picture:
    if name is not None:
        picture.name = name.strip()[:120]
    if folder is not None:
        picture.folder = check_folder(folder)
    picture.save(update_fields=["name", "folder"])
    return picture


def known_keys(shop: Shop, keys: set[str]) -> set[str]:
    """Which of these picture keys the shop may show: its picture space and its items' pictures."""
    if not keys:
        return set()
    spaced = Picture.objects.filter(shop=shop, key__in=keys).values_list("key", flat=True)
    on_items = (
        ItemImage.objects.filter(item__shop=shop, key__in=keys)
        .exclude(item__status="deleted")
        .values_list("key", flat=True)
    )
    return set(spaced) | set(on_items)
