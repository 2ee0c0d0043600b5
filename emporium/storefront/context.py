"""Values every page's header needs: the cart count and the top-level categories' links."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from emporium.catalog.models import Category
from emporium.storefront.shared import steady_part
from emporium.trade.cart import cart_count, cart_for


def storefront(request: HttpRequest) -> dict:
    if request.path.startswith("/admin/"):
        return {}
    return {
        "cart_count": lambda: cart_count(cart_for(request)),
        # The same for every visitor in a language: its links built once and shared between
        # pages (a query and a loop of eight {% url %} in every page otherwise); only an
        # operator changes the categories, and members see it within PAGE_CACHE_SECONDS.
        "category_links": lambda: steady_part(
            request, f"category-links:{get_language()}", _category_links
        ),
    }


def _category_links() -> SafeString:
    return format_html_join(
        "",
        '<a href="{}">{}</a>',
        (
            (reverse("storefront:category", args=[c.slug]), c.label)
            for c in Category.objects.filter(parent=None)
        ),
    )
