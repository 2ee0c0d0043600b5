"""Values every page's header needs: the cart count and the top-level categories."""

from django.http import HttpRequest

from emporium.catalog.models import Category
from emporium.trade.cart import cart_count, cart_for


def storefront(request: HttpRequest) -> dict:
    if request.path.startswith("/admin/"):
        return {}
    return {
        "cart_count": lambda: cart_count(cart_for(request)),
        "top_categories": lambda: list(Category.objects.filter(parent=None)),
    }
