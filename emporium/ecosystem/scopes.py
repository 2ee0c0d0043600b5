"""What each OAuth scope lets an app do, in the words (and language) the member reads.

The English words live in settings (the OpenAPI document publishes them as they are); every
screen a member consents on shows them through gettext, so a Chinese seller reads Chinese.
"""

from django.conf import settings
from django.utils.translation import gettext


def describe(scope: str) -> str:
    """The scope's words in the active language; an unknown scope is shown as its code."""
    words = settings.OAUTH2_PROVIDER["SCOPES"].get(scope)
    return gettext(words) if words else scope


def rows(scopes: list[str]) -> list[tuple[str, str]]:
    """(scope, words) for each scope, in the order given."""
    return [(scope, describe(scope)) for scope in scopes]
