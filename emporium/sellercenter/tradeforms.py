"""Seller center forms for orders, refunds, money and buyers' words; the domain functions decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from emporium.trade.models import Order

# (stored value, shown label): the stored name is what the buyer's tracking page shows.
CARRIERS = [
    ("SF Express", _("SF Express")),
    ("ZTO Express", _("ZTO Express")),
    ("YTO Express", _("YTO Express")),
    ("STO Express", _("STO Express")),
    ("Yunda Express", _("Yunda Express")),
    ("J&T Express", _("J&T Express")),
    ("JD Logistics", _("JD Logistics")),
    ("EMS", _("EMS")),
    ("China Post", _("China Post")),
    ("Deppon Express", _("Deppon Express")),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Order.Status.choices],
        required=False,
    )
    created_from = forms.DateField(label=_("Placed from"), required=False, widget=DATE_INPUT)
    created_to = forms.DateField(label=_("Placed until"), required=False, widget=DATE_INPUT)
    q = forms.CharField(label=_("Order number or buyer"), required=False, max_length=60)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and end < start:
            self.add_error("created_to", _("The end date is before the start date."))
        return data


class ShipForm(forms.Form):
    # Both optional here: orders.ship names the missing one in its own words.
    carrier = forms.ChoiceField(
        label=_("Carrier"),
        choices=[("", _("Choose a carrier")), *CARRIERS],
        required=False,
    )
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=40)


class MemoForm(forms.Form):
    seller_memo = forms.CharField(
        label=_("Private memo"),
        required=False,
        max_length=500,
        help_text=_("Only you see it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefuseForm(forms.Form):
    note = forms.CharField(
        label=_("Why you refuse"),
        required=False,
        max_length=300,
        help_text=_("The buyer reads this and may ask the marketplace to decide."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "1", "class": "money"}),
    )
    bank_account = forms.CharField(label=_("Bank account"), required=False, max_length=60)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
