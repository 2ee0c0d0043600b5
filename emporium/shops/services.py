"""Shop rules: opening a shop, its settings, logo and the shop's own categories."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from emporium.catalog.images import read_upload, store_picture
from emporium.members.models import Member
from emporium.shops.models import Shop, ShopCategory


class ShopError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:60] or "shop"
    slug, n = base, 1
    while Shop.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def open_shop(owner: Member, *, name: str, description: str = "") -> Shop:
    """A member opens their one shop and becomes a seller."""
    name = name.strip()
    if not name:
        raise ShopError(_("Give your shop a name."), "name")
    if Shop.objects.filter(owner=owner).exists():
        raise ShopError(_("You already have a shop."), "name")
    if Shop.objects.filter(name__iexact=name).exists():
        raise ShopError(_("A shop with this name already exists."), "name")
    try:
        with transaction.atomic():
            return Shop.objects.create(
                owner=owner, name=name, slug=_unique_slug(name), description=description.strip()
            )
    except IntegrityError:
        raise ShopError(_("A shop with this name already exists."), "name") from None


def update_shop(shop: Shop, *, name: str, description: str) -> Shop:
    name = name.strip()
    if not name:
        raise ShopError(_("Give your shop a name."), "name")
    if Shop.objects.filter(name__iexact=name).exclude(pk=shop.pk).exists():
        raise ShopError(_("A shop with this name already exists."), "name")
    shop.name = name
    shop.description = description.strip()
    shop.save(update_fields=["name", "description", "updated_at"])
    return shop


def set_logo(shop: Shop, upload) -> None:
    shop.logo_key = store_picture(read_upload(upload))
    shop.save(update_fields=["logo_key", "updated_at"])


def add_shop_category(shop: Shop, name: str) -> ShopCategory:
    name = name.strip()
    if not name:
        raise ShopError(_("Give the category a name."), "name")
    if shop.categories.filter(name__iexact=name).exists():
        raise ShopError(_("Your shop already has this category."), "name")
    position = shop.categories.count()
    return ShopCategory.objects.create(shop=shop, name=name, position=position)
