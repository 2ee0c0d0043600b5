"""Parse the buyer's browse filters and cart posts; bad input becomes a named error, never a 500."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from emporium.catalog.models import MAX_PRICE, Category
from emporium.catalog.search import SORTS, SearchQuery
from emporium.trade.models import MAX_CART_QUANTITY

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_QUERY_CHARS = 100
_SORT_LABELS = {
    "relevance": _("Best match"),
    "sales": _("Best selling"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
    "newest": _("Newest"),
}
# Built from SORTS so a sort added to the search without a label fails at import, not on a page.
SORT_CHOICES: "list[tuple[str, StrOrPromise]]" = [(key, _SORT_LABELS[key]) for key in SORTS]


class BrowseForm(forms.Form):
    """Filters of the search, category and shop pages.

    An invalid field is reported and left out of the query, so the rest of the page still works.
    """

    q = forms.CharField(label=_("Search"), required=False)
    category: forms.SlugField | None = forms.SlugField(label=_("Category"), required=False)
    min_price = forms.DecimalField(
        label=_("Lowest price"), required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2
    )
    max_price = forms.DecimalField(
        label=_("Highest price"), required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2
    )
    sort = forms.CharField(label=_("Sort by"), required=False)

    def clean_q(self) -> str:
        # Long pasted text is cut rather than refused: the search only uses the first words.
        return self.cleaned_data["q"][:MAX_QUERY_CHARS]

    def clean_category(self) -> Category | None:
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise forms.ValidationError(_("There is no such category; showing all categories."))
        return category

    def clean_sort(self) -> str:
        # Sorts come from a menu; anything else is a stale or hand-made link, not worth a message.
        sort = self.cleaned_data["sort"]
        return sort if sort in SORTS else "relevance"

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The highest price is below the lowest price."))
        return data

    def search_query(self, **fixed) -> SearchQuery:
        """The query of the valid filters; `fixed` (the page's category or shop) wins over input."""
        self.is_valid()
        data = self.cleaned_data
        values = {
            "text": data.get("q", ""),
            "category": data.get("category"),
            "min_price": data.get("min_price"),
            "max_price": data.get("max_price"),
            "sort": data.get("sort") or "relevance",
        }
        values.update(fixed)
        return SearchQuery(**values)

    @property
    def sort_choices(self) -> list[tuple[str, "StrOrPromise"]]:
        return SORT_CHOICES


class ShopBrowseForm(BrowseForm):
    """The shop page filters by the shop's own categories instead of the platform's."""

    category = None
    group = forms.CharField(label=_("Shop category"), required=False)

    def __init__(self, *args, shop_categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_categories = list(shop_categories)

    def clean_group(self):
        raw = self.cleaned_data["group"]
        if not raw:
            return None
        chosen = next((c for c in self.shop_categories if str(c.pk) == raw), None)
        if chosen is None:
            raise forms.ValidationError(_("This shop has no such category; showing every item."))
        return chosen


class AddToCartForm(forms.Form):
    sku = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        error_messages={"required": _("Choose a variant first.")},
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_CART_QUANTITY)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_CART_QUANTITY)


def first_error(form: forms.Form) -> str:
    """One readable line naming the field at fault, for a flash message."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return ""
