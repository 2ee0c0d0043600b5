"""The catalog's limits and the checks every catalog change runs first."""

import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from emporium.catalog.models import MAX_PRICE, MAX_STOCK, MIN_PRICE, Category, Item
from emporium.lib.errors import DomainError
from emporium.lib.html import clean_rich_text, foreign_images
from emporium.resources.links import served_prefixes
from emporium.shops.models import Shop, ShopCategory

MAX_OPTIONS = 3
MAX_SKUS = 200
MAX_TITLE = 120
MAX_OPTION_NAME = 20
MAX_OPTION_VALUE = 30
MAX_OPTION_VALUES = 50
MAX_SKU_CODE = 40
MIN_PRICE_CHANGE = Decimal("-99")
MAX_PRICE_CHANGE = Decimal("1000")
# Sellers type lists with Chinese punctuation as often as with ASCII.
_VALUE_SEPARATORS = re.compile(r"[,，、]")


class CatalogError(DomainError):
    """A rule of the catalog was broken; `field` names the input at fault for the form."""

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        super().__init__(message, field=field, code=code)


def check_price(price: Decimal, field: str = "price") -> Decimal:
    if not isinstance(price, Decimal) or not price.is_finite():
        raise CatalogError(_("Enter a valid price."), field)
    if price < MIN_PRICE or price > MAX_PRICE:
        raise CatalogError(
            _("Price must be between %(low)s and %(high)s.")
            % {"low": MIN_PRICE, "high": MAX_PRICE},
            field,
        )
    if _places(price) > 2:
        raise CatalogError(_("Price has at most two decimal places."), field)
    return price


def _places(value: Decimal) -> int:
    """Digits after the point of a finite Decimal (only NaN and infinities have no int exponent)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


def check_stock(stock: int, field: str = "stock") -> int:
    if not isinstance(stock, int) or stock < 0 or stock > MAX_STOCK:
        raise CatalogError(_("Stock must be between 0 and %(max)s.") % {"max": MAX_STOCK}, field)
    return stock


def check_percent(percent: Decimal, field: str = "price_change") -> Decimal:
    if not isinstance(percent, Decimal) or not percent.is_finite():
        raise CatalogError(_("Enter a valid percentage."), field)
    if percent < MIN_PRICE_CHANGE or percent > MAX_PRICE_CHANGE:
        raise CatalogError(
            _("A price change must be between %(low)s%% and +%(high)s%%.")
            % {"low": MIN_PRICE_CHANGE, "high": MAX_PRICE_CHANGE},
            field,
        )
    if _places(percent) > 2:
        raise CatalogError(_("A percentage has at most two decimal places."), field)
    return percent


def check_description(description_html: str) -> str:
    """The description cleaned of anything unsafe; a picture from another site is refused."""
    cleaned = clean_rich_text(description_html)
    foreign = foreign_images(cleaned, served_prefixes())
    if foreign:
        raise CatalogError(
            _(
                "The picture %(src)s is not served by the platform. Pictures from other sites "
                "tell them who looks at your item; upload it and use its address."
            )
            % {"src": foreign[0][:200]},
            "description_html",
        )
    return cleaned


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise CatalogError(_("Give the item a title."), "title")
    if len(title) > MAX_TITLE:
        raise CatalogError(_("A title has at most %(n)s characters.") % {"n": MAX_TITLE}, "title")
    return title


def check_category(category: Category) -> Category:
    """Items hang on leaves of the tree, so every browse page below a parent finds them."""
    if Category.objects.filter(parent=category).exists():
        raise CatalogError(_("Choose a category that has no sub-categories."), "category")
    return category


def check_listable(stock: int) -> None:
    if stock <= 0:
        raise CatalogError(_("An item with no stock cannot be put on sale."), "status")


PICTURE_REQUIRED = "picture_required"  # the API's error code, for every way of listing an item


def check_has_picture(pictures: int) -> None:
    """Buyers do not trust an item they cannot see: no sale without a picture."""
    if pictures <= 0:
        raise CatalogError(
            _("An item cannot go on sale without a picture."), "status", code=PICTURE_REQUIRED
        )


def _check_status(status: str) -> str:
    if status not in Item.Status.values:
        raise CatalogError(_("Unknown status."), "status")
    return status


def _check_code(code: str) -> str:
    code = code.strip()
    if len(code) > MAX_SKU_CODE:
        raise CatalogError(
            _("A SKU code has at most %(n)s characters.") % {"n": MAX_SKU_CODE}, "skus"
        )
    return code


def check_shop_categories(shop: Shop, shop_categories: Iterable[ShopCategory]) -> None:
    if any(c.shop_id != shop.pk for c in shop_categories):
        raise CatalogError(_("That shop category belongs to another shop."), "shop_categories")
