"""Forms of the four shop activities; they parse, emporium.promotions.activities decides."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emporium.catalog.models import MAX_STOCK, Item, Sku
from emporium.lib import clock
from emporium.shops.models import Shop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A browser's local date-time box; Django reads the value in the member's zone (the middleware
# activated it) and the model stores it in UTC.
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def money_field(label: "StrOrPromise", **kw: Any) -> forms.DecimalField:
    widget = forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "class": "money"})
    return forms.DecimalField(label=label, widget=widget, **kw)


def count_field(label: "StrOrPromise", **kw: Any) -> forms.IntegerField:
    # The upper bound only keeps absurd numbers away from the database; the rules are the domain's.
    widget = forms.NumberInput(attrs={"min": "1", "class": "count"})
    return forms.IntegerField(label=label, max_value=MAX_STOCK, widget=widget, **kw)


class ActivityForm(forms.Form):
    # Optional here so that the activity functions give their own message.
    name = forms.CharField(label=_("Name"), required=False, max_length=60)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LOCAL_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LOCAL_DATETIME)

    def __init__(self, shop: Shop, *args, **kwargs):
        kwargs.setdefault("initial", self.default_period())
        super().__init__(*args, **kwargs)
        self.shop = shop

    @staticmethod
    def default_period() -> dict:
        """From the next full hour, for a week, in the member's own clock."""
        start = timezone.localtime(clock.now()).replace(minute=0, second=0, microsecond=0)
        start += timedelta(hours=1)
        return {"starts_at": start, "ends_at": start + timedelta(days=7)}

    def activity_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the kind's create function, from the cleaned data."""
        raise NotImplementedError


class DiscountForm(ActivityForm):
    percent_off = forms.DecimalField(
        label=_("Percent off"),
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.1", "min": "0.1", "max": "90", "class": "count"}
        ),
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Items"),
        queryset=Item.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, shop: Shop, *args, **kwargs):
        super().__init__(shop, *args, **kwargs)
        # Only the seller's own items are offered; another shop's is "not a valid choice".
        cast(forms.ModelMultipleChoiceField, self.fields["items"]).queryset = (
            Item.objects.filter(shop=shop).exclude(status=Item.Status.DELETED).order_by("title")
        )

    def activity_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["items"] = list(data["items"])
        return data


class ThresholdForm(ActivityForm):
    min_spend = money_field(_("When the order reaches"))
    amount_off = money_field(_("Take off"))

    def activity_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CouponBatchForm(ActivityForm):
    amount_off = money_field(_("Coupon value"))
    min_spend = money_field(
        _("Minimum spend"), required=False, help_text=_("Leave empty for no minimum.")
    )
    total_count = count_field(_("How many coupons"))

    def activity_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["min_spend"] = data["min_spend"] or Decimal("0")
        return data


class SkuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, sku: Sku) -> str:
        title = f"{sku.item.title} — {sku.label}" if sku.label else sku.item.title
        return _("%(title)s (price %(price)s, %(stock)s in stock)") % {
            "title": title,
            "price": sku.price,
            "stock": sku.stock,
        }


class FlashSaleForm(ActivityForm):
    sku = SkuChoiceField(label=_("SKU"), queryset=Sku.objects.none(), empty_label=_("Choose a SKU"))
    flash_price = money_field(_("Flash price"))
    stock_limit = count_field(_("Units at this price"))
    per_buyer_limit = count_field(_("Per buyer"), initial=1)

    def __init__(self, shop: Shop, *args, **kwargs):
        super().__init__(shop, *args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sku"]).queryset = (
            Sku.objects.filter(item__shop=shop)
            .exclude(item__status=Item.Status.DELETED)
            .select_related("item")
            .order_by("item__title", "position", "id")
        )

    def activity_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
