"""Template helpers of the storefront: money, picture URLs and links that keep the query string."""

import math
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from emporium.catalog.images import image_url
from emporium.lib import clock
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
def seconds_left(ends_at: datetime | None) -> int:
    """Whole seconds from the server's now to `ends_at` (0 once past): a countdown starts from
    the server's clock, never the visitor's, which may be wrong. Rounded up, so the page never
    says a sale has ended while the server still sells at its price."""
    if ends_at is None:
        return 0
    return max(0, math.ceil((ends_at - clock.now()).total_seconds()))


@register.filter
def countdown(seconds: int) -> str:
    """02:59:59, or 3d 02:59:59 past a day (storefront.js goes on counting in the same form)."""
    days, rest = divmod(max(0, int(seconds)), 86_400)
    hours, rest = divmod(rest, 3_600)
    clock_part = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{days}{pgettext('countdown days', 'd')} {clock_part}" if days else clock_part


@register.filter
def intcomma_plain(value: int | None) -> str:
    """12,345: digits grouped by thousands the same way in both languages, whatever the
    locale formats say."""
    return "" if value is None else f"{int(value):,}"


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
def sku_options(skus: list, preselected) -> SafeString:
    """The item page's variant <option>s, one per (SKU, offer): built in Python, where the
    template's loop cost a fifth of the page's rendering (variable lookups and a translation per
    SKU). The same markup and words as the template had."""
    in_stock, sold_out = gettext("%(stock)s in stock"), escape(gettext("sold out"))
    options = []
    for sku, offer in skus:
        flags = (" disabled" if sku.stock == 0 else "") + (
            " selected" if sku == preselected else ""
        )
        state = in_stock % {"stock": sku.stock} if sku.stock else sold_out
        options.append(
            f'<option value="{sku.pk}"{flags}>{escape(sku.label)} · {money(offer.price)} · '
            f"{state}</option>"
        )
    return mark_safe("".join(options))  # noqa: S308  # every value above is escaped or ours


@register.simple_tag
def page_numbers(page) -> list:
    """Page links around the current page, with … gaps: 1 … 4 5 [6] 7 8 … 20."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
