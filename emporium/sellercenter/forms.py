"""Seller center forms: they parse and range-check input; the catalog and shop services decide."""

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from emporium.catalog import services as catalog
from emporium.catalog.models import MAX_PRICE, MAX_STOCK, MIN_PRICE, Category, Item
from emporium.shops import services as shops
from emporium.shops.models import Shop, ShopCategory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_DESCRIPTION_HTML = 50_000
MAX_PICTURES_AT_ONCE = catalog.MAX_IMAGES_PER_ITEM


def service_error(
    form: forms.Form, error: Exception, fallback: str | None = None, **aliases: str
) -> None:
    """Put a CatalogError/ShopError/ImageRejected on the field it names (or `fallback`), else on
    the form; `aliases` map a service's field name to this form's."""
    field = getattr(error, "field", None) or fallback
    field = aliases.get(field, field) if field else None
    form.add_error(field if field in form.fields else None, str(error))


def price_field(label: "StrOrPromise", **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=MIN_PRICE,
        max_value=MAX_PRICE,
        # No max_digits: max_value already bounds it and says so in plainer words.
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": MIN_PRICE, "class": "money"}),
        **kw,
    )


def stock_field(label: "StrOrPromise", **kw: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_STOCK,
        widget=forms.NumberInput(attrs={"class": "count"}),
        **kw,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PicturesField(forms.FileField):
    """Several files in one input; each is checked by emporium.lib.images, not by its name."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        files = [single(f, initial) for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_PICTURES_AT_ONCE:
            raise ValidationError(
                _("Upload at most %(n)s pictures at once.") % {"n": MAX_PICTURES_AT_ONCE}
            )
        return files


class OpenShopForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=shops.MAX_SHOP_NAME)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=shops.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ShopSettingsForm(OpenShopForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class ShopCategoryForm(forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=shops.MAX_CATEGORY_NAME)


class CategoryChoiceField(forms.ChoiceField):
    """Leaf categories of the platform tree, grouped under their parents in the select."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._leaves: dict[str, Category] = {}

    def load(self) -> None:
        categories = list(Category.objects.all())
        parents = {c.parent_id for c in categories if c.parent_id}
        self._leaves = {str(c.pk): c for c in categories if c.pk not in parents}
        groups: dict[int | None, list[tuple[str, str]]] = {}
        for leaf in self._leaves.values():
            groups.setdefault(leaf.parent_id, []).append((str(leaf.pk), leaf.label))
        by_id = {c.pk: c for c in categories}
        self.choices = [("", _("Choose a category"))] + [
            (by_id[parent].label if parent in by_id else _("Other"), leaves)
            for parent, leaves in groups.items()
        ]

    def clean(self, value) -> Category | None:
        value = super().clean(value)
        return self._leaves.get(value)


class ItemFieldsForm(forms.Form):
    """What an item is: shared by the create and the edit pages."""

    title = forms.CharField(label=_("Title"), max_length=catalog.MAX_TITLE)
    category = CategoryChoiceField(label=_("Category"))
    shop_categories = forms.ModelMultipleChoiceField(
        label=_("Shop categories"),
        queryset=ShopCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description_html = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_HTML,
        help_text=_("HTML is allowed; scripts and unsafe attributes are removed."),
        widget=forms.Textarea(attrs={"rows": 10, "class": "html"}),
    )

    def __init__(self, shop: Shop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(CategoryChoiceField, self.fields["category"]).load()
        # Only the seller's own categories are offered; another shop's id is "not a valid choice".
        shop_categories = cast(forms.ModelMultipleChoiceField, self.fields["shop_categories"])
        shop_categories.queryset = shop.categories.all()

    @classmethod
    def initial_for(cls, item: Item) -> dict:
        return {
            "title": item.title,
            "category": str(item.category_id),
            "shop_categories": list(item.shop_categories.all()),
            "description_html": item.description_html,
        }


class OptionsField(forms.CharField):
    """Lines such as "Colour: Red, Blue", parsed to {"Colour": ["Red", "Blue"]}."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": _("Colour: Red, Blue\nSize: S, M, L")})

    def clean(self, value) -> dict[str, list[str]]:
        value = super().clean(value)
        try:
            options = catalog.parse_options(value)
            catalog.sku_matrix(options)  # refuses more than MAX_SKUS combinations
        except catalog.CatalogError as error:
            raise ValidationError(str(error)) from None
        return options


def options_field() -> OptionsField:
    return OptionsField(
        label=_("Options"),
        required=False,
        max_length=5000,
        help_text=_(
            'One option per line, e.g. "Colour: Red, Blue" and "Size: S, M, L". '
            "Every combination becomes a SKU. Leave empty for an item without variants."
        ),
    )


class ItemCreateForm(ItemFieldsForm):
    """Everything about a new item in one step: fields, options and the SKU grid, pictures, status.

    The page's options builder fills `options` ("Colour: Red, Blue" lines) and `sku_grid` (JSON:
    one {"options", "price", "stock"} per combination); without JavaScript the seller types the
    options and gives one price and stock for every SKU.
    """

    options = options_field()
    sku_grid = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200_000)
    price = price_field(
        _("Price"), required=False, help_text=_("For every SKU; change single SKUs later.")
    )
    stock = stock_field(_("Stock"), required=False, help_text=_("For every SKU."), initial=0)
    pictures = PicturesField(
        label=_("Pictures"),
        required=False,
        help_text=_("The first picture is the main one. JPEG, PNG, WebP or GIF."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Item.Status.STOCK_ROOM, _("Keep in the stock-room")),
            (Item.Status.ON_SALE, _("Put on sale now")),
        ],
        initial=Item.Status.STOCK_ROOM,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if "options" not in data:
            return data
        try:
            specs = self._grid(data) if data.get("sku_grid") else self._uniform(data)
        except ValidationError as error:
            self.add_error("sku_grid" if data.get("sku_grid") else "price", error)
            return data
        data["specs"] = specs
        if data.get("status") == Item.Status.ON_SALE:
            try:
                catalog.check_listable(sum(spec.stock for spec in specs))
                catalog.check_has_picture(len(data.get("pictures") or []))
            except catalog.CatalogError as error:
                self.add_error("status", str(error))
        return data

    def _uniform(self, data: dict[str, Any]) -> list[catalog.SkuSpec]:
        if data.get("price") is None:
            raise ValidationError(_("Give a price (or fill the SKU grid)."))
        stock = data.get("stock") or 0
        return [
            catalog.SkuSpec(options=combo, price=data["price"], stock=stock)
            for combo in catalog.sku_matrix(data["options"])
        ]

    def _grid(self, data: dict[str, Any]) -> list[catalog.SkuSpec]:
        """One row per combination of the options, each with its own price and stock."""
        try:
            rows = json.loads(data["sku_grid"])
        except ValueError:
            raise ValidationError(_("The SKU grid could not be read; fill it again.")) from None
        wanted = catalog.sku_matrix(data["options"])
        if not isinstance(rows, list) or len(rows) != len(wanted):
            raise ValidationError(_("Give a price and stock for every combination of options."))
        by_combo = {}
        for row in rows:
            combo = row.get("options") if isinstance(row, dict) else None
            if not isinstance(combo, dict) or combo not in wanted:
                raise ValidationError(_("The SKU grid does not match the options; fill it again."))
            by_combo[tuple(sorted(combo.items()))] = self._grid_row(row, combo)
        if len(by_combo) != len(wanted):
            raise ValidationError(_("Give a price and stock for every combination of options."))
        return [by_combo[tuple(sorted(combo.items()))] for combo in wanted]

    def _grid_row(self, row: dict[str, Any], combo: dict[str, str]) -> catalog.SkuSpec:
        label = " / ".join(combo.values()) or _("default SKU")
        try:
            price = Decimal(str(row.get("price", "")).strip())
            stock = row.get("stock")
            stock = int(stock) if isinstance(stock, int | str) and str(stock).strip() else -1
            return catalog.SkuSpec(
                options=combo, price=catalog.check_price(price), stock=catalog.check_stock(stock)
            )
        except (ArithmeticError, ValueError, catalog.CatalogError) as error:
            why = (
                str(error) if isinstance(error, catalog.CatalogError) else _("Enter a valid price.")
            )
            raise ValidationError(f"{label}: {why}") from None

    def sku_specs(self) -> tuple[list[str], list[catalog.SkuSpec]]:
        return list(self.cleaned_data["options"]), self.cleaned_data["specs"]


class OptionsChangeForm(forms.Form):
    options = options_field()
    price = price_field(_("Price of new SKUs"))
    stock = stock_field(_("Stock of new SKUs"), initial=0)


class SkuTableForm(forms.Form):
    """Price, stock and code of every SKU of one item, one row per SKU."""

    def __init__(self, item: Item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skus = list(item.skus.all())
        for sku in self.skus:
            names = {"sku": sku.label or _("default SKU")}
            self.fields[f"price_{sku.pk}"] = price_field(
                _("%(sku)s: price") % names, initial=sku.price
            )
            self.fields[f"stock_{sku.pk}"] = stock_field(
                _("%(sku)s: stock") % names, initial=sku.stock
            )
            self.fields[f"code_{sku.pk}"] = forms.CharField(
                label=_("%(sku)s: code") % names,
                initial=sku.code,
                required=False,
                max_length=catalog.MAX_SKU_CODE,
            )

    def rows(self):
        for sku in self.skus:
            yield sku, self[f"price_{sku.pk}"], self[f"stock_{sku.pk}"], self[f"code_{sku.pk}"]

    def error_summary(self) -> list[str]:
        """Each error with the SKU and column it belongs to, for the top of the table."""
        return [
            f"{self.fields[name].label} — {message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]

    def changes(self) -> dict[int, tuple[Decimal, int] | tuple[Decimal, int, str]]:
        data = self.cleaned_data
        return {
            s.pk: (data[f"price_{s.pk}"], data[f"stock_{s.pk}"], data[f"code_{s.pk}"])
            for s in self.skus
        }


class PicturesForm(forms.Form):
    pictures = PicturesField(label=_("Pictures"))


class ItemFilterForm(forms.Form):
    STATUSES = [
        ("", _("All but deleted")),
        (Item.Status.ON_SALE, _("On sale")),
        (Item.Status.STOCK_ROOM, _("In the stock-room")),
        ("out_of_stock", _("Out of stock")),
        (Item.Status.DELETED, _("Deleted")),
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    q = forms.CharField(label=_("Title"), required=False, max_length=100)


class BulkForm(forms.Form):
    """The items ticked on the list page and what to do with them."""

    ACTIONS = {
        "list": _("List"),
        "delist": _("Delist"),
        "delete": _("Delete"),
        "price": _("Set price"),
        "percent": _("Change price by %"),
        "stock": _("Set stock"),
    }
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    items = forms.ModelMultipleChoiceField(
        queryset=Item.objects.none(),
        to_field_name="public_id",
        error_messages={"required": _("Tick at least one item.")},
    )
    price = price_field(_("New price"), required=False)
    percent = forms.DecimalField(
        label=_("Change by %"),
        required=False,
        min_value=catalog.MIN_PRICE_CHANGE,
        max_value=catalog.MAX_PRICE_CHANGE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "count"}),
    )
    stock = stock_field(_("New stock"), required=False)

    def __init__(self, shop: Shop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        items = cast(forms.ModelMultipleChoiceField, self.fields["items"])
        items.queryset = Item.objects.filter(shop=shop)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        action: str = data.get("action", "")
        # The value box that goes with the chosen action must be filled.
        missing = action in ("price", "percent", "stock") and data.get(action) is None
        if missing and action not in self.errors:
            message = _("Enter a value for “%(action)s”.") % {"action": self.ACTIONS[action]}
            self.add_error(action, message)
        return data
