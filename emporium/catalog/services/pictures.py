"""An item's pictures: add, remove, choose the main one."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from emporium.catalog.images import ImageRejected, read_upload, store_picture
from emporium.catalog.models import Item, ItemImage
from emporium.catalog.services.checks import CatalogError
from emporium.events import announce

MAX_IMAGES_PER_ITEM = 10


def add_image(item: Item, upload) -> ItemImage:
    """Check the upload, store its variants, then record it; a refused file leaves nothing."""
    if item.images.count() >= MAX_IMAGES_PER_ITEM:
        raise CatalogError(
            _("An item has at most %(n)s pictures.") % {"n": MAX_IMAGES_PER_ITEM}, "image"
        )
    checked = read_upload(upload)
    key = store_picture(checked)
    with transaction.atomic():
        image = ItemImage.objects.create(
            item=item,
            key=key,
            width=checked.width,
            height=checked.height,
            position=item.images.count(),
        )
        announce.item_changed(item)
    return image


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
            checked.append(read_upload(upload))
        except ImageRejected as error:
            raise ImageRejected(f"{getattr(upload, 'name', '')}: {error}") from None
    top = item.images.aggregate(top=Max("position"))["top"]
    start = 0 if top is None else top + 1
    added = [
        ItemImage.objects.create(
            item=item, key=store_picture(c), width=c.width, height=c.height, position=start + n
        )
        for n, c in enumerate(checked)
    ]
    announce.item_changed(item)
    return added


@transaction.atomic
def remove_image(item: Item, image_id: int) -> None:
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


def _renumber_images(item: Item, ordered_ids: list[int]) -> None:
    images = {i.pk: i for i in item.images.all()}
    for position, pk in enumerate(ordered_ids):
        images[pk].position = position
    ItemImage.objects.bulk_update(images.values(), ["position"])
