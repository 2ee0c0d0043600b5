"""Shop rules: opening a shop, its settings, logo and the shop's own categories."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.events import announce
from emporium.lib.errors import DomainError
from emporium.members.models import Member
from emporium.shops.models import Shop, ShopCategory

MAX_SHOP_NAME = 60
MAX_DESCRIPTION = 2000
MAX_CATEGORY_NAME = 40
MAX_CATEGORIES = 50


class ShopError(DomainError):
    """A shop rule was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ShopError(_("Give your shop a name."), "name")
    if len(name) > MAX_SHOP_NAME:
        raise ShopError(
            _("A shop name has at most %(n)s characters.") % {"n": MAX_SHOP_NAME}, "name"
        )
    return name


def _check_description(description: str) -> str:
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise ShopError(
            _("A description has at most %(n)s characters.") % {"n": MAX_DESCRIPTION},
            "description",
        )
    return description


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:60] or "shop"
    slug, n = base, 1
    while Shop.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def open_shop(owner: Member, *, name: str, description: str = "") -> Shop:
    """A member opens their one shop and becomes a seller."""
    name = _check_name(name)
    description = _check_description(description)
    if Shop.objects.filter(owner=owner).exists():
        raise ShopError(_("You already have a shop."), "name")
    if Shop.objects.filter(name__iexact=name).exists():
        raise ShopError(_("A shop with this name already exists."), "name")
    try:
        with transaction.atomic():
            return Shop.objects.create(
                owner=owner, name=name, slug=_unique_slug(name), description=description
            )
    except IntegrityError:
        raise ShopError(_("A shop with this name already exists."), "name") from None


def check_details(shop: Shop, *, name: str, description: str) -> tuple[str, str]:
    """The name and description as update_shop would save them; ShopError when refused."""
    name = _check_name(name)
    description = _check_description(description)
    if Shop.objects.filter(name__iexact=name).exclude(pk=shop.pk).exists():
        raise ShopError(_("A shop with this name already exists."), "name")
    return name, description


def update_shop(shop: Shop, *, name: str, description: str) -> Shop:
    name, description = check_details(shop, name=name, description=description)
    shop.name = name
    shop.description = description
    try:
        with transaction.atomic():
            shop.save(update_fields=["name", "description", "updated_at"])
            announce.shop_updated(shop)
    except IntegrityError:
        raise ShopError(_("A shop with this name already exists."), "name") from None
    return shop


@transaction.atomic
def set_status(shop: Shop, status: str) -> bool:
    """Open, close or suspend a shop; its apps get `shop.updated`. False when nothing changed.

    Only an open shop's items are publicly visible (Item.objects.visible()), so closing hides
    them from every page, search, cart and checkout without touching the items themselves.
    """
    if status not in Shop.Status.values:
        raise ShopError(_("Unknown status."), "status")
    locked = Shop.objects.select_for_update().get(pk=shop.pk)
    if locked.status == status:
        shop.status = status
        return False
    shop.status = status
    shop.save(update_fields=["status", "updated_at"])
    announce.shop_updated(shop)
    return True


def set_logo(shop: Shop, upload) -> None:
    """Raises ImageRejected (from catalog.images) when the file is not an acceptable picture."""
    shop.logo_key = store_picture(read_upload(upload))
    shop.save(update_fields=["logo_key", "updated_at"])


@transaction.atomic
def update_settings(shop: Shop, *, name: str, description: str, logo=None) -> Shop:
    """Name, description and (optionally) a new logo together: a refused logo saves nothing."""
    update_shop(shop, name=name, description=description)
    if logo is not None:
        set_logo(shop, logo)
    return shop


def _check_category_name(shop: Shop, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ShopError(_("Give the category a name."), "name")
    if len(name) > MAX_CATEGORY_NAME:
        raise ShopError(
            _("A category name has at most %(n)s characters.") % {"n": MAX_CATEGORY_NAME}, "name"
        )
    same = shop.categories.filter(name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ShopError(_("Your shop already has this category."), "name")
    return name


def add_shop_category(shop: Shop, name: str) -> ShopCategory:
    name = _check_category_name(shop, name)
    count = shop.categories.count()
    if count >= MAX_CATEGORIES:
        raise ShopError(_("A shop has at most %(n)s categories.") % {"n": MAX_CATEGORIES}, "name")
    try:
        with transaction.atomic():
            return ShopCategory.objects.create(shop=shop, name=name, position=count)
    except IntegrityError:
        raise ShopError(_("Your shop already has this category."), "name") from None


def rename_shop_category(category: ShopCategory, name: str) -> ShopCategory:
    category.name = _check_category_name(category.shop, name, exclude=category.pk)
    try:
        with transaction.atomic():
            category.save(update_fields=["name"])
    except IntegrityError:
        raise ShopError(_("Your shop already has this category."), "name") from None
    return category


@transaction.atomic
def delete_shop_category(category: ShopCategory) -> None:
    """The items stay; they just leave this category."""
    shop = category.shop
    category.delete()
    _renumber(shop, list(shop.categories.values_list("pk", flat=True)))


@transaction.atomic
def move_shop_category(category: ShopCategory, offset: int) -> None:
    """Move a category up (offset -1) or down (+1) in the shop's order; the ends stay put."""
    ids = list(category.shop.categories.select_for_update().values_list("pk", flat=True))
    index = ids.index(category.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    _renumber(category.shop, ids)


def _renumber(shop: Shop, ordered_ids: list[int]) -> None:
    categories = {c.pk: c for c in shop.categories.all()}
    for position, pk in enumerate(ordered_ids):
        categories[pk].position = position
    ShopCategory.objects.bulk_update(categories.values(), ["position"])
