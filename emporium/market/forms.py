"""Market forms: they parse input; listings, billing, reviews and blocks decide."""

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from emporium.ecosystem import scopes
from emporium.market.listings import MAX_BLOCKS, MAX_PLANS, BlockSpec, PlanSpec
from emporium.market.models import Block, Listing, Plan


def service_error(form: forms.Form, error: Exception) -> None:
    """Put a domain error on the field it names (a plan or block row: on that row's name)."""
    field = getattr(error, "field", None)
    if field and field not in form.fields and f"{field}_name" in form.fields:
        field = f"{field}_name"
    form.add_error(field if field in form.fields else None, str(error))


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search apps"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Listing.Category.choices],
    )


def _plan_label(plan: Plan) -> str:
    if plan.kind == Plan.Kind.MONTHLY:
        text = _("%(name)s — %(price)s per 30 days") % {
            "name": plan.name,
            "price": plan.price_amount,
        }
        if plan.trial_days:
            text += " · " + _("%(n)s-day free trial") % {"n": plan.trial_days}
        return text
    if plan.kind == Plan.Kind.USAGE:
        return _("%(name)s — %(price)s per %(unit)s") % {
            "name": plan.name,
            "price": plan.unit_price_amount,
            "unit": plan.unit_name,
        }
    return _("%(name)s — free") % {"name": plan.name}


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return _plan_label(obj)


class PlanChoiceForm(forms.Form):
    """The plan radio of the install and change-plan pages, with the usage limit for usage plans."""

    plan = PlanChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    usage_cap = forms.DecimalField(
        label=_("Monthly spending limit for usage charges"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text=_("Usage-based plans only: the app can never charge more per 30 days."),
    )

    def __init__(self, listing: Listing, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(PlanChoiceField, self.fields["plan"]).queryset = listing.plans.filter(retired=False)


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Review"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlaceBlockForm(forms.Form):
    block = forms.TypedChoiceField(label=_("Block"), coerce=int)

    def __init__(self, blocks, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [(b.pk, f"{b.listing.name} · {b.name}") for b in blocks]


class ItemBlockForm(forms.Form):
    """Where an item-page block shows: every item, or the items ticked (among those listed)."""

    scope = forms.ChoiceField(
        label=_("Show it on"),
        choices=[("all", _("all my items")), ("chosen", _("the items I choose"))],
        widget=forms.RadioSelect,
    )
    items = forms.TypedMultipleChoiceField(
        label=_("Items"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    # The items the page listed: an unticked one among them is taken off, the others are kept.
    shown = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(item.pk, item.title) for item in items]
        self.fields["items"].choices = choices
        self.fields["shown"].choices = choices


class PayoutForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=1, decimal_places=2)
    bank_account = forms.CharField(label=_("Bank account"), max_length=60)


KIND_CHOICES = [("", _("— no plan —")), *Plan.Kind.choices]


class ListingForm(forms.Form):
    """The listing with up to three plan rows and three block rows (empty rows are ignored)."""

    name = forms.CharField(label=_("Name in the market"), max_length=80)
    summary_en = forms.CharField(label=_("Summary (English)"), max_length=140)
    summary_zh = forms.CharField(label=_("Summary (Chinese)"), max_length=140, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    description_zh = forms.CharField(
        label=_("Description (Chinese)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Listing.Category.choices)
    scopes = forms.MultipleChoiceField(
        label=_("Required scopes"), widget=forms.CheckboxSelectMultiple
    )
    install_url = forms.CharField(
        label=_("Install URL"),
        required=False,
        max_length=500,
        help_text=_(
            "Where the seller goes after installing: start your OAuth authorization there."
        ),
    )
    app_url = forms.CharField(
        label=_("Admin page URL"),
        required=False,
        max_length=500,
        help_text=_("Opened inside the seller center with ?session=<signed token>."),
    )
    icon = forms.FileField(label=_("Icon"), required=False)

    def __init__(self, app, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s, f"{w} ({s})") for s, w in scopes.rows(app.scope_list)]
        for i in range(MAX_PLANS):
            self.fields[f"plan_{i}_name"] = forms.CharField(
                label=_("Plan %(n)s name") % {"n": i + 1}, required=False, max_length=40
            )
            self.fields[f"plan_{i}_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=KIND_CHOICES, required=False
            )
            self.fields[f"plan_{i}_price"] = forms.DecimalField(
                label=_("Price per 30 days"), required=False, decimal_places=2, min_value=0
            )
            self.fields[f"plan_{i}_trial_days"] = forms.IntegerField(
                label=_("Trial days"), required=False, min_value=0, max_value=90
            )
            self.fields[f"plan_{i}_unit_price"] = forms.DecimalField(
                label=_("Unit price"), required=False, decimal_places=2, min_value=0
            )
            self.fields[f"plan_{i}_unit_name"] = forms.CharField(
                label=_("Unit"), required=False, max_length=30
            )
        for i in range(MAX_BLOCKS):
            self.fields[f"block_{i}_name"] = forms.CharField(
                label=_("Block %(n)s name") % {"n": i + 1}, required=False, max_length=40
            )
            self.fields[f"block_{i}_url"] = forms.CharField(
                label=_("Block URL"), required=False, max_length=500
            )
            self.fields[f"block_{i}_placement"] = forms.ChoiceField(
                label=_("Where"), choices=Block.Placement.choices, required=False
            )
            self.fields[f"block_{i}_fullscreen"] = forms.BooleanField(
                label=_("Full screen"), required=False
            )

    @classmethod
    def initial_for(cls, listing: Listing | None) -> dict:
        if listing is None:
            return {}
        data = {
            f: getattr(listing, f)
            for f in ("name", "summary_en", "summary_zh", "description_en", "description_zh",
                      "category", "install_url", "app_url")
        }  # fmt: skip
        data["scopes"] = listing.scope_list
        for plan in listing.live_plans:
            i = plan.position
            data |= {
                f"plan_{i}_name": plan.name, f"plan_{i}_kind": plan.kind,
                f"plan_{i}_price": plan.price_amount, f"plan_{i}_trial_days": plan.trial_days,
                f"plan_{i}_unit_price": plan.unit_price_amount, f"plan_{i}_unit_name": plan.unit_name,
            }  # fmt: skip
        for i, block in enumerate(listing.blocks.all()):
            data |= {
                f"block_{i}_name": block.name, f"block_{i}_url": block.url,
                f"block_{i}_placement": block.placement, f"block_{i}_fullscreen": block.fullscreen,
            }  # fmt: skip
        return data

    def plan_rows(self) -> list[list]:
        return [
            [self[f"plan_{i}_{part}"] for part in ("name", "kind", "price", "trial_days",
                                                   "unit_price", "unit_name")]
            for i in range(MAX_PLANS)
        ]  # fmt: skip

    def block_rows(self) -> list[list]:
        return [
            [self[f"block_{i}_{part}"] for part in ("name", "url", "placement", "fullscreen")]
            for i in range(MAX_BLOCKS)
        ]

    def plan_specs(self) -> list[PlanSpec | None]:
        data, specs = self.cleaned_data, list[PlanSpec | None]()
        for i in range(MAX_PLANS):
            kind, name = data.get(f"plan_{i}_kind"), data.get(f"plan_{i}_name") or ""
            if not kind and not name:
                specs.append(None)
                continue
            specs.append(
                PlanSpec(
                    name=name,
                    kind=kind or "",
                    price_amount=data.get(f"plan_{i}_price") or Decimal(0),
                    trial_days=data.get(f"plan_{i}_trial_days") or 0,
                    unit_price_amount=data.get(f"plan_{i}_unit_price") or Decimal(0),
                    unit_name=data.get(f"plan_{i}_unit_name") or "",
                )  # fmt: skip
            )
        while specs and specs[-1] is None:
            specs.pop()
        return specs

    def block_specs(self) -> list[BlockSpec]:
        data = self.cleaned_data
        return [
            BlockSpec(
                data.get(f"block_{i}_name") or "",
                data.get(f"block_{i}_url") or "",
                data.get(f"block_{i}_placement") or Block.Placement.SHOP,
                bool(data.get(f"block_{i}_fullscreen")),
            )
            for i in range(MAX_BLOCKS)
            if data.get(f"block_{i}_name") or data.get(f"block_{i}_url")
        ]
