"""The site header's bar for anonymous visitors: rendered once per language, then only the request's
own values (search words, cart count, path, CSRF token) filled in, as the page cache fills in its
CSRF token. Its links, words and language menu were ~70 template nodes on every page."""

import re
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import urlencode
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "header_bar.html"
# Stand-ins rendered where the request's values go. Each ends in "&", so the form it takes in the
# output says which filter the template applied: "&amp;" escaped, "%26" URL-encoded (then escaped).
_MARK = "hdrslot7c1"
_SLOT = re.compile(rf"{_MARK}(q|cart|path|token)(&amp;|%26)")
_ENCODED = "%26"
_NO_TOKEN = "NOTPROVIDED"  # noqa: S105  # Django's mark for "no CSRF token here", not a secret

# (language, script prefix) -> the bar's text before the first slot, then (slot, URL-encoded,
# the text after it) for each slot.
Fragment = tuple[str, list[tuple[str, bool, str]]]
_fragments: dict[tuple[str | None, str], Fragment] = {}


def bar(context: Context) -> SafeString:
    """The header's bar as header_bar.html renders it for this context."""
    request: HttpRequest | None = getattr(context, "request", None)
    user = context.get("user")
    token = context.get("csrf_token")
    if (
        request is None
        or user is None
        or user.is_authenticated
        or not token
        or token == _NO_TOKEN  # {% csrf_token %} would render nothing
    ):
        return _render(context, context)
    key = (get_language(), get_script_prefix())
    fragment = _fragments.get(key)
    if fragment is None:
        fragment = _fragments[key] = _build(context)
    cart = context.get("cart_count", "")
    values: dict[str, Any] = {
        # As {{ request.GET.q|default:'' }} and {{ cart_count }} (a callable) resolve them.
        "q": request.GET.get("q") or "",
        "cart": cart() if callable(cart) else cart,
        "path": request.get_full_path(),
        "token": str(token),
    }
    head, slots = fragment
    parts = [head]
    for name, encoded, text in slots:
        value = urlencode(values[name]) if encoded else values[name]
        parts += (render_value_in_context(value, context), text)
    return mark_safe("".join(parts))  # noqa: S308  # the template's own text; values escaped


def _render(context: Context, values: Context | dict[str, Any]) -> SafeString:
    assert context.template is not None  # a tag renders inside a template
    engine = context.template.engine
    if not isinstance(values, Context):
        values = Context(values, autoescape=engine.autoescape)
    html = engine.get_template(TEMPLATE).render(values)
    # The file's final newline belongs to the line of base.html the tag stands on.
    return mark_safe(html.removesuffix("\n"))  # noqa: S308  # rendered by the template engine


def _build(context: Context) -> Fragment:
    stand_in = {name: f"{_MARK}{name}&" for name in ("q", "cart", "path", "token")}
    html = _render(
        context,
        {
            "request": {"GET": {"q": stand_in["q"]}, "get_full_path": stand_in["path"]},
            "user": {"is_authenticated": False},
            "cart_count": stand_in["cart"],
            "csrf_token": stand_in["token"],
            "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        },
    )
    pieces = _SLOT.split(html)
    texts = pieces[0::3]
    if any(_MARK in text for text in texts):
        raise ValueError(f"{TEMPLATE} shows a request value in a form it cannot fill in")
    slots = [
        (name, form == _ENCODED, text)
        for name, form, text in zip(pieces[1::3], pieces[2::3], texts[1:], strict=True)
    ]
    return texts[0], slots


@receiver(setting_changed)
@receiver(file_changed)
def forget(**kwargs: Any) -> None:
    """A changed setting, template or translation: render the bars again."""
    _fragments.clear()
