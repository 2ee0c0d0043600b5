"""Forms of the member pages: sign-up, profile and shipping addresses."""

import zoneinfo

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from emporium.members.models import Address, Member


def timezone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


def _check_email_free(email: str, member: Member | None = None) -> str:
    # Emails identify members for password resets, so they are unique whatever their case.
    email = email.strip()
    others = Member.objects.filter(email__iexact=email)
    if member is not None:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise forms.ValidationError(_("Another account already uses this email address."))
    return email


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), max_length=254)

    class Meta(UserCreationForm.Meta):
        model = Member
        fields = ("username", "email")

    def clean_email(self) -> str:
        return _check_email_free(self.cleaned_data["email"])


class ProfileForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)

    class Meta:
        model = Member
        fields = ("display_name", "email", "timezone", "is_developer")
        labels = {"is_developer": _("I build apps")}
        help_texts = {
            "display_name": _("Shown to sellers and in reviews instead of your username."),
            "timezone": _("Times on the site are shown in this zone."),
            "is_developer": _(
                "Opens the developer center, where you register apps for the open API."
            ),
        }

    def clean_email(self) -> str:
        return _check_email_free(self.cleaned_data["email"], self.instance)

    def clean_display_name(self) -> str:
        return self.cleaned_data["display_name"].strip()


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,28}$", _("Enter a phone number: digits, spaces, + ( ) and - only.")
)


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = (
            "recipient",
            "phone",
            "province",
            "city",
            "district",
            "street",
            "postal_code",
            "is_default",
        )
        labels = {"is_default": _("Use as my default address")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
