"""Forms of the buyer's trading pages; they parse, the order actions decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from emporium.finance.wallets import MAX_TOP_UP


class TopUpForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=MAX_TOP_UP,
        decimal_places=2,
        max_digits=10,
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), decimal_places=2, max_digits=12
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], initial=5
    )
    text = forms.CharField(
        label=_("Review"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MultiplePictureInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PicturesField(forms.FileField):
    widget = MultiplePictureInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PicturesField, self).clean(f, initial) for f in files]


class ReviewPicturesForm(forms.Form):
    pictures = PicturesField(label=_("Pictures"), required=False)
