"""An item's pictures: add, remove, choose the main one."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from emporium.catalog.images import (
    ImageRejected,
    StoredOriginal,
    read_upload,
    store_original,
    store_picture,
)
from emporium.catalog.models import Item, ItemImage
from emporium.catalog.services.checks import CatalogError
from emporium.events import announce
from emporium.lib.images import CheckedImage

MAX_IMAGES_PER_ITEM = 10


def add_image(item: Item, upload) -> ItemImage:
    """Check the upload, store its variants, then record it; a refused file leaves nothing."""
    if item.images.count() >= MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures.") % {"n": MAX_IMAGES_PER_ITEM}, "image"
        )
    checked = read_upload(upload, zoomable=True)
    files = _store(checked)
    with transaction.atomic():
        image = ItemImage.objects.create(item=item, position=item.images.count(), **files)
        announce.item_changed(item)
    return image


def _store(checked: CheckedImage) -> dict:
    """Write the variants and the original; the fields of the ItemImage that points at them."""
    return {
        "key": store_picture(checked),
        "width": checked.width,
        "height": checked.height,
        **original_fields(store_original(checked)),
    }


def original_fields(stored: StoredOriginal) -> dict:
    return {
        "original_sha256": stored.sha256,
        "original_format": stored.format,
        "original_bytes": stored.size_bytes,
    }


@transaction.atomic
def add_images(item: Item, uploads: Iterable) -> list[ItemImage]:
    """Several pictures at once: every file is checked before any is stored, so one bad file
    refuses the lot and the seller can simply pick the files again."""
    uploads = list(uploads)
    present = item.images.count()
    if present + len(uploads) > MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures; it has %(present)s.")
            % {"n": MAX_IMAGES_PER_ITEM, "present": present},
            "image",
        )
    checked = []
    for upload in uploads:
        try:
            checked.append(read_upload(upload, zoomable=True))
        except ImageRejected as error:
            raise ImageRejected(f"{getattr(upload, 'name', '')}: {error}") from None
    top = item.images.aggregate(top=Max("position"))["top"]
    start = 0 if top is None else top + 1
    added = [
        ItemImage.objects.create(item=item, position=start + n, **_store(c))
        for n, c in enumerate(checked)
    ]
    announce.item_changed(item)
    return added


@transaction.atomic
def remove_image(item: Item, image_id: int) -> None:
    """Remove one picture; an item on sale keeps at least one (take it off sale first)."""
    others = item.images.select_for_update().exclude(pk=image_id)
    if item.status == Item.Status.ON_SALE and not others.exists():
        raise CatalogError(
            _("An item on sale keeps at least one picture; take it off sale first."), "image"
        )
    item.images.filter(pk=image_id).delete()
    _renumber_images(item, [i.pk for i in item.images.all()])
    announce.item_changed(item)


@transaction.atomic
def set_main_image(item: Item, image_id: int) -> None:
    """The main picture is the first; the others keep their order behind it."""
    ids = [i.pk for i in item.images.select_for_update()]
    if image_id not in ids:
        raise CatalogError(_("That picture belongs to another item."), "image")
    ids.remove(image_id)
    _renumber_images(item, [image_id, *ids])
    announce.item_changed(item)


@transaction.atomic
def reorder_images(item: Item, ordered_ids: list[int]) -> None:
    """Put the item's pictures in this order (the first is the main one)."""
    ids = sorted(i.pk for i in item.images.select_for_update())
    if sorted(ordered_ids) != ids:
        raise CatalogError(_("Give every picture of the item exactly once."), "image")
    _renumber_images(item, ordered_ids)
    announce.item_changed(item)


@transaction.atomic
def mark_picture(item: Item, image_id: int, shows: str) -> ItemImage:
    """Say which option value (a colour) a picture shows, or "" for none: choosing that value on
    the item page shows this picture."""
    image = item.images.select_for_update().filter(pk=image_id).first()
    if image is None:
        raise CatalogError(_("That picture belongs to another item."), "image")
    values = {value for sku in item.skus.all() for value in sku.options.values()}
    if shows and shows not in values:
        raise CatalogError(_("Choose one of the item's option values."), "shows")
    image.shows = shows
    image.save(update_fields=["shows"])
    return image


def _renumber_images(item: Item, ordered_ids: list[int]) -> None:
    images = {i.pk: i for i in item.images.all()}
    for position, pk in enumerate(ordered_ids):
        images[pk].position = position
    ItemImage.objects.bulk_update(images.values(), ["position"])
