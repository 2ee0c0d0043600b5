"""The benchmark's bare twin of GET /api/v1/items: same query, same schema, no gateway.

bench/api.py compares the two in one server run to measure what the gateway (token lookup,
rate limit, call log, envelope middleware) costs. This endpoint has no auth, so it is mounted
(at /bench/bare/) only when settings.BENCH_BARE_ENDPOINTS is on — never in production.
"""

from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI, Query

from emporium.api.routes.items import ItemFilter, page_of_items
from emporium.resources.common import Page
from emporium.resources.items import ItemOut
from emporium.shops.models import Shop

bare_api = NinjaAPI(
    title="Emporium bench (bare)", urls_namespace="bench-bare", docs_url=None, openapi_url=None
)


@bare_api.get("/items", response=Page[ItemOut])
def bare_items(request: HttpRequest, shop: UUID, filters: Query[ItemFilter]) -> HttpResponse:
    """The first page of a shop's items, exactly as the API's list_items builds it."""
    return page_of_items(request, get_object_or_404(Shop, public_id=shop), filters)


def routes() -> list[URLPattern | URLResolver]:
    """What emporium/urls.py mounts: nothing unless BENCH_BARE_ENDPOINTS is on."""
    if not settings.BENCH_BARE_ENDPOINTS:
        return []
    return [path("bench/bare/", bare_api.urls)]
