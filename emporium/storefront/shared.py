"""Parts of a page that many pages share (a shop's running offers, the header's categories), kept
in the page cache under the version the page itself is served under, so they are as fresh; and
parts only an operator changes (the header's categories), kept a short while for every page."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from emporium.lib import clock
from emporium.storefront import pagecache

T = TypeVar("T")
_MISSING = object()


def shared_part(request: HttpRequest, name: str, build: Callable[[], T]) -> T:
    """`build()`, reused between requests served under the same page version (set on the request
    by the page cache for an anonymous visitor); built afresh for everyone else. Like a page, a
    part ends at the next start or end of any activity."""
    version = getattr(request, "page_version", None)
    if version is None:
        return build()
    prefix = pagecache.version_prefix(version)
    store, key, now = caches["pages"], f"storefront:part:{prefix}:{name}", clock.now()
    found: Any = store.get(key, _MISSING)
    if found is not _MISSING and found[1] > now:
        return found[0]
    value = build()
    expires_at = pagecache.expiry(prefix, now)
    seconds = (expires_at - now).total_seconds()
    if seconds >= 1:
        store.set(key, (value, expires_at), min(int(seconds), settings.PAGE_CACHE_SECONDS))
    return value


def steady_part(request: HttpRequest, name: str, build: Callable[[], T]) -> T:
    """`build()` of a part only an operator changes, shown the same to everyone: under the page's
    version for a page the page cache serves, as `shared_part`; for the other pages (a signed-in
    member's, a form posted) kept up to PAGE_CACHE_SECONDS, the most a cached page lives. Reading
    the version costs those pages a query, which is what this part saves them: under a rush of
    buyers, every refused checkout renders the header (docs/performance.md, issue 21)."""
    if getattr(request, "page_version", None) is not None or not settings.PAGE_CACHE_SECONDS:
        return shared_part(request, name, build)
    store, key = caches["pages"], f"storefront:steady:{name}"
    found: Any = store.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = build()
    store.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value
