"""Template helpers of the storefront: money, picture URLs and links that keep the query string."""

from decimal import Decimal, InvalidOperation

from django import template
from django.http import QueryDict

from emporium.catalog.images import image_url
from emporium.lib.money import to_cents

register = template.Library()


@register.filter
def money(value: Decimal | str | None) -> str:
    """¥1,234.50 — Decimal all the way; never through float."""
    if value is None or value == "":
        return ""
    try:
        amount = to_cents(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"¥{amount:,.2f}"


@register.filter
def picture(key: str | None, width: int = 240) -> str:
    return image_url(key, int(width)) if key else ""


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes) -> str:
    """The current query string with some keys replaced (None or "" removes a key)."""
    request = context.get("request")
    params: QueryDict = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def page_numbers(page) -> list:
    """Page links around the current page, with … gaps: 1 … 4 5 [6] 7 8 … 20."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
