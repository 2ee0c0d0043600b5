"""Where a picture of the picture space is used: items (pictures, descriptions) and designs.

Files are content-addressed and shared, so "used" means the picture's key appears there.
Deleting a picture removes it from the space (and the quota); a design still pointing at it
renders its placeholder, an item keeps its own copy.
"""

import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from emporium.catalog.models import Item
from emporium.design.models import DesignSchedule, DesignVersion, ShopDesign
from emporium.pictures.models import Picture
from emporium.pictures.services import PictureError


@dataclass
class Usage:
    items: list[tuple[Item, str]] = field(default_factory=list)  # (item, "pictures"|"description")
    designs: list[tuple[str, int | None, object]] = field(default_factory=list)

    @property
    def in_use(self) -> bool:
        return bool(self.items or self.designs)


def usage_of(picture: Picture) -> Usage:
    key, shop = picture.key, picture.shop
    usage = Usage()
    items = (
        Item.objects.filter(shop=shop)
        .exclude(status=Item.Status.DELETED)
        .filter(Q(images__key=key) | Q(description_html__contains=key))
        .distinct()
        .order_by("pk")
    )
    for item in items:
        where = "description" if key in item.description_html else "pictures"
        usage.items.append((item, where))
    design = ShopDesign.objects.filter(shop=shop).first()
    if design is not None:
        if key in json.dumps(design.draft):
            usage.designs.append(("draft", None, None))
        for version in DesignVersion.objects.filter(shop=shop).order_by("-number"):
            if key in json.dumps(version.document):
                live = version.pk == design.live_id
                usage.designs.append(("live" if live else "version", version.number, None))
    waiting = DesignSchedule.objects.filter(
        shop=shop, status__in=[DesignSchedule.Status.PENDING, DesignSchedule.Status.LIVE]
    )
    for row in waiting:
        if key in json.dumps(row.document):
            usage.designs.append(("schedule", None, row.public_id))
    return usage


def delete_picture(picture: Picture, *, force: bool = False) -> None:
    """Refuse to delete a picture the live design, the draft, a schedule or an item shows,
    unless forced; saying where, so the seller can decide."""
    usage = usage_of(picture)
    current = [d for d in usage.designs if d[0] != "version"]
    if (usage.items or current) and not force:
        places = [f"{item.title} ({where})" for item, where in usage.items[:5]]
        places += [_("design %(where)s") % {"where": where} for where, _n, _s in current]
        raise PictureError(
            _("This picture is in use: %(places)s. Delete it anyway with force=true.")
            % {"places": "; ".join(places)},
            code="picture_in_use",
        )
    picture.delete()
