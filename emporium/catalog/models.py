"""Items for sale: the platform category tree, items, their SKUs and pictures."""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from emporium.shops.models import Shop, ShopCategory

MIN_PRICE = Decimal("0.01")
MAX_PRICE = Decimal("9999999.99")
MAX_STOCK = 999_999


class Category(models.Model):
    """A node of the platform's category tree (Women's clothing › Dresses)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=60)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    commission_rate = models.DecimalField(
        _("commission rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language."""
        if (get_language() or "").startswith("zh") and self.name_zh_hans:
            return self.name_zh_hans
        return self.name


class ItemQuerySet(models.QuerySet["Item"]):
    def visible(self) -> "ItemQuerySet":
        """Publicly visible items: on sale (so not deleted) in an open shop.

        What buyers can find, open, cart and buy, on every path (pages, search, API, checkout).
        """
        return self.filter(status=Item.Status.ON_SALE, shop__status=Shop.Status.OPEN)


class Item(models.Model):
    class Status(models.TextChoices):
        ON_SALE = "on_sale", _("on sale")
        STOCK_ROOM = "stock_room", _("in the stock-room")
        DELETED = "deleted", _("deleted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    shop_categories = models.ManyToManyField(ShopCategory, blank=True, related_name="items")
    title = models.CharField(_("title"), max_length=120)
    description_html = models.TextField(_("description"), blank=True)
    description_text = models.TextField(blank=True, editable=False)
    # What the search index reads besides title and description (catalog/search_terms.py): the
    # Chinese text as bigrams and the category names in both languages. Set with the title.
    search_title = models.TextField(blank=True, default="", editable=False)
    search_category = models.TextField(blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    option_names = models.JSONField(
        default=list, blank=True, help_text=_('SKU dimensions, e.g. ["Colour", "Size"]')
    )
    # Lowest SKU price and total SKU stock, kept by catalog.services so lists need no join.
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    sales_count = models.PositiveIntegerField(_("sales"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.STOCK_ROOM
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "category", "-sales_count"], name="item_browse_sales"),
            # Ascending, and with the id: read backwards it is the hot items' whole order
            # (sales, then newest), so a page of them is read off it without a sort. A descending
            # (status, -sales_count, -id) made SQLite walk it for full-text searches too (69 s a
            # search at 100,000 items, docs/performance.md); this one it leaves to the search.
            models.Index(fields=["status", "sales_count", "id"], name="item_hot"),
            models.Index(fields=["status", "price"], name="item_price"),
            models.Index(fields=["status", "-created_at"], name="item_newest"),
            models.Index(fields=["shop", "status"], name="item_shop_status"),
            # The Open API lists a shop's items by (updated_at, id): without this, every page
            # sorted all of the shop's items (24 ms at 17,586 items; 0.2 ms with it).
            models.Index(fields=["shop", "updated_at", "id"], name="item_shop_updated"),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.title

    @property
    def is_on_sale(self) -> bool:
        return self.status == self.Status.ON_SALE


class Sku(models.Model):
    """One buyable variant of an item (Red / M). An item without variants has one SKU with no options."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="skus")
    options = models.JSONField(default=dict, blank=True, help_text=_('e.g. {"Colour": "Red"}'))
    code = models.CharField(_("seller's code"), max_length=40, blank=True)
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(MIN_PRICE), MaxValueValidator(MAX_PRICE)],
    )
    stock = models.PositiveIntegerField(
        _("stock"), default=0, validators=[MaxValueValidator(MAX_STOCK)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="sku_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="sku_price_positive"),
        ]
        verbose_name = _("SKU")
        verbose_name_plural = _("SKUs")

    def __str__(self) -> str:
        return f"{self.item.title} {self.label}".strip()

    @property
    def label(self) -> str:
        # In the item's option order: PostgreSQL's jsonb does not keep the keys' order.
        names = [n for n in self.item.option_names if n in self.options] or sorted(self.options)
        return " / ".join(str(self.options[name]) for name in names)


class ItemImage(models.Model):
    """A picture of an item; the file lives under MEDIA_ROOT, named by its content hash."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="images")
    key = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    # The full-size original (pictures stored before originals were kept have none): the
    # variants above stop at 1200 px, zoom apps need every pixel.
    original_sha256 = models.CharField(max_length=64, blank=True, default="")
    original_format = models.CharField(max_length=8, blank=True, default="")
    original_bytes = models.PositiveBigIntegerField(default=0)
    # The option value this picture shows (usually a colour): choosing it shows this picture.
    shows = models.CharField(_("shows option value"), max_length=60, blank=True, default="")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("item image")
        verbose_name_plural = _("item images")

    def __str__(self) -> str:
        return f"{self.item_id}:{self.key}"

    def url(self, width: int = 600) -> str:
        from emporium.catalog.images import image_url

        return image_url(self.key, width)

    @property
    def thumb_url(self) -> str:
        return self.url(240)

    @property
    def medium_url(self) -> str:
        return self.url(600)

    @property
    def large_url(self) -> str:
        return self.url(1200)
