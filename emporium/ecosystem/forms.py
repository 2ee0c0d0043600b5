"""Developer center forms: they parse input; emporium.ecosystem.registration decides what is allowed."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from emporium.ecosystem import scopes
from emporium.ecosystem.models import App
from emporium.ecosystem.registration import MAX_NAME, AppError


def scope_choices() -> list[tuple[str, str]]:
    return [
        (name, f"{name} — {scopes.describe(name)}") for name in settings.OAUTH2_PROVIDER["SCOPES"]
    ]


class AppForm(forms.Form):
    name = forms.CharField(label=_("App name"), max_length=MAX_NAME)
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "One per line, matched exactly (port and path included). https only; "
            "http is allowed for 127.0.0.1 and localhost while you develop."
        ),
    )
    webhook_url = forms.CharField(
        label=_("Webhook URL"),
        required=False,
        help_text=_("Where Emporium pushes events to your app (https)."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What your app may ask a seller for; the consent screen lists them."),
    )

    @classmethod
    def for_app(cls, app: App, data=None) -> "AppForm":
        initial = {
            "name": app.name,
            "redirect_uris": "\n".join(app.redirect_uri_list),
            "webhook_url": app.webhook_url,
            "scopes": app.scope_list,
        }
        return cls(data, initial=initial)

    def add_service_error(self, error: AppError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error))
