"""The storefront's pages for anonymous visitors, cached whole and keyed by the catalogue's version.

An anonymous visitor without a session sees the same home, category, search, shop and item page
as every other such visitor, so each is rendered once and served from the cache until something
it shows may have changed (docs/decisions.md, "Anonymous page cache"):

- Any write to a table whose rows a page may show — items, SKUs, pictures, shops, promotions,
  reviews, designs, apps, members; everything except the tables named in IGNORED — sets a new
  random version in the same transaction (a database wrapper on every connection sees every
  INSERT, UPDATE and DELETE, `QuerySet.update()` and raw SQL included). A page is looked up by
  the version, read in one query per request, so the next request after the commit misses and
  renders afresh, in every worker process and on every machine sharing the database.
- Item pages have a version of their own (row 2), which an order's stock and sales updates and
  the order tables leave alone; an item page's key joins it to its own item's stock, sales and
  SKU stock, in the same one query (item_page_version), so an order of this item shows on the
  next request and an order of any other item keeps the page (docs/decisions.md, "Item pages:
  a version of their own").
- A promotion that starts or ends on its own (no write) ends the cached pages' life at that
  moment: each entry expires at the next start or end of any activity, and after
  PAGE_CACHE_SECONDS at the latest (relative times such as "2 hours ago" stay that fresh).
- The visitor's own things never enter the cache: only GET requests carrying no cookie but the
  CSRF and language ones are served from it (no session: not logged in, no cart, no messages),
  and the cached page's CSRF token is replaced by the visitor's own on the way out. A view marks
  a page that must not be shared (an item page with app blocks, whose frames carry signed,
  expiring contexts) with `never_cache_page`.
"""

import functools
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from emporium.lib import clock

TABLE = "storefront_pageversion"
# Tables whose writes never change what an anonymous visitor sees: sessions and carts (their
# own), the API's and the collector's logs, the event outbox, the books, OAuth tokens. Anything
# else bumps the version, so a table added later is safe until someone names it here.
IGNORED = (
    TABLE,
    "django_session",
    "django_admin_log",
    "api_",
    "customer_events_",
    "events_",
    "finance_",
    "oauth2_provider_",
    "trade_cart",
)
_WRITE = re.compile(
    r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)',
    re.IGNORECASE,
)
# Row 1 is the version of every page; row 2 that of item pages, which an item page's key also
# joins to its own item's stock, sales and SKU stock (item_page_version).
_BUMP_ALL = "UPDATE storefront_pageversion SET value = %s WHERE id IN (1, 2)"
_BUMP_LISTINGS = "UPDATE storefront_pageversion SET value = %s WHERE id = 1"
_READ = "SELECT value FROM storefront_pageversion WHERE id = 1"
_READ_ITEM = (
    "SELECT v.value, i.stock, i.sales_count, s.id, s.stock FROM storefront_pageversion v"
    " LEFT JOIN catalog_item i ON i.public_id = %s"
    " LEFT JOIN catalog_sku s ON s.item_id = i.id WHERE v.id = 2 ORDER BY s.id"
)
# Writes that change no item page but the item's own, which sees them in its key: an order's
# stock and sales counters (UPDATEs of these columns only, as trade.orders makes them), and the
# orders themselves (no item page shows an order). Every other page still sees them (row 1).
_ITEM_LOCAL_COLUMNS = {"catalog_sku": {"stock"}, "catalog_item": {"stock", "sales_count"}}
_NOT_ON_ITEM_PAGES = ("trade_",)
_SET_COLUMNS = re.compile(r'(?:\bSET|,)\s*["`]?(\w+)["`]?\s*=', re.IGNORECASE)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC")
_COUNTDOWN = re.compile(rb'(?<=data-countdown )data-seconds="(\d+)"')
_CSRF_TOKEN = re.compile(
    rb'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,64})"'
)


# --- the version ------------------------------------------------------------------------------


def _bump_on_write(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if sql.lstrip()[:6].upper() in _WRITE_VERBS:
        found = _WRITE.match(sql)
        if found and not found.group(1).lower().startswith(IGNORED):
            bump(context["connection"], item_pages=_shown_on_item_pages(found.group(1), sql))
    return result


def _shown_on_item_pages(table: str, sql: str) -> bool:
    """Whether this write may change an item page that its key (item_page_version) misses."""
    table = table.lower()
    if table.startswith(_NOT_ON_ITEM_PAGES):
        return False
    local = _ITEM_LOCAL_COLUMNS.get(table)
    if local is None or sql.lstrip()[:6].upper() != "UPDATE":
        return True
    assignments = sql.split(" WHERE ", 1)[0]
    columns = {column.lower() for column in _SET_COLUMNS.findall(assignments)}
    return not columns or not columns <= local


def bump(db: BaseDatabaseWrapper | None = None, item_pages: bool = True) -> None:
    """A new version: every page cached so far is out of date (with `item_pages` False, every
    page but the item pages). In the caller's transaction, so it takes effect when the change
    does (and not at all if it rolls back); once per transaction, unless this connection read
    the version since (a test, or a view that writes and then renders, sees its own uncommitted
    writes)."""
    db = db or connection
    if not getattr(db, "page_version_ready", False):
        # Before the migration that creates the table (a fresh database): nothing to bump.
        if TABLE not in db.introspection.table_names():
            return
        db.page_version_ready = True  # type: ignore[attr-defined]  # our own mark
    # Django drops a transaction's on-commit callbacks when it (or the savepoint that added
    # them) commits or rolls back: while our marker is among them, this transaction has bumped.
    markers = getattr(db, "page_version_markers", {})
    if any(
        _pending(db, markers.get(scope)) for scope in ((True,) if item_pages else (True, False))
    ):
        return
    with db.cursor() as cursor:
        # Random, never a counter: a rolled-back test or transaction cannot reuse a version.
        cursor.execute(_BUMP_ALL if item_pages else _BUMP_LISTINGS, [secrets.randbits(62)])
    if db.in_atomic_block:

        def bumped() -> None:
            """Nothing to do at commit: only marks this transaction as bumped."""

        db.on_commit(bumped)
        db.page_version_markers = {**markers, item_pages: bumped}  # type: ignore[attr-defined]


def _pending(db: BaseDatabaseWrapper, marker: Callable | None) -> bool:
    return marker is not None and any(entry[1] is marker for entry in db.run_on_commit)


@receiver(connection_created)
def _watch_writes(sender: type, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if not getattr(connection, "page_version_watched", False):
        connection.execute_wrappers.append(_bump_on_write)
        connection.page_version_watched = True  # type: ignore[attr-defined]  # our own mark


def current_version() -> int | None:
    """The version pages are cached under; None (cache nothing) before the table exists."""
    connection.page_version_markers = {}  # type: ignore[attr-defined]  # the next write bumps
    try:
        with connection.cursor() as cursor:
            cursor.execute(_READ)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


def item_page_version(public_id: uuid.UUID) -> str | None:
    """The version one item's page is cached under, in one query: the item pages' version with
    this item's stock and sales and its SKUs' stock, which an order changes without bumping the
    item pages' version (so an order elsewhere keeps this page, and one of this item does not)."""
    connection.page_version_markers = {}  # type: ignore[attr-defined]  # the next write bumps
    from emporium.catalog.models import Item

    field = Item._meta.get_field("public_id")
    try:
        with connection.cursor() as cursor:
            cursor.execute(_READ_ITEM, [field.get_db_prep_value(public_id, connection)])
            rows = cursor.fetchall()
    except DatabaseError:
        return None
    if not rows:
        return None
    fingerprint = repr([row[1:] for row in rows]).encode()
    return f"{rows[0][0]}-{hashlib.blake2b(fingerprint, digest_size=8).hexdigest()}"


def version_prefix(version: int | str) -> str:
    """The version of every page or of item pages, without an item's own part."""
    return str(version).split("-")[0]


def expiry(version: int | str, now: datetime) -> datetime:
    """When what is rendered now under `version` ends: at the next start or end of an activity,
    after PAGE_CACHE_SECONDS at the latest."""
    expires_at = now + timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    boundary = next_boundary(version, now)
    return expires_at if boundary is None else min(expires_at, boundary)


def next_boundary(version: int | str, now: datetime) -> datetime | None:
    """When the next activity starts or ends (None: none is scheduled), one query per version
    and process."""
    from emporium.promotions.models import CouponBatch, Discount, FlashSale, Threshold

    store = caches["pages"]
    # An item page's version starts with the item pages' one: every promotion write sets a
    # new value in both rows, so either row's value stands for the promotions as they are.
    key = f"storefront:boundary:{version_prefix(version)}"
    known = store.get(key)
    if known is not None and (known[0] is None or known[0] > now):
        return known[0]
    parts = [
        model.objects.filter(**{f"{field}__gt": now})
        .order_by()
        .annotate(moment=F(field))
        .values_list("moment", flat=True)
        for model in (Discount, Threshold, CouponBatch, FlashSale)
        for field in ("starts_at", "ends_at")
    ]
    first = list(parts[0].union(*parts[1:], all=True).order_by("moment")[:1])
    boundary = first[0] if first else None
    store.set(key, (boundary,), settings.PAGE_CACHE_SECONDS)
    return boundary


# --- the pages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    csrf_token: bytes  # b"" when the page has no form
    expires_at: datetime
    rendered_at: datetime
    countdowns: bool  # a flash sale's seconds left, counted from the time of rendering

    def response(self, request: HttpRequest) -> HttpResponse:
        content = self.content
        if self.csrf_token:
            content = content.replace(self.csrf_token, get_token(request).encode())
        if self.countdowns:
            content = _count_down(content, (clock.now() - self.rendered_at).total_seconds())
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


def _count_down(content: bytes, elapsed: float) -> bytes:
    """A countdown starts from the server's seconds left (the visitor's clock may be wrong):
    a page kept for a while gives the seconds left now, not at rendering."""

    def now_left(found: re.Match[bytes]) -> bytes:
        left = max(0, int(found.group(1)) - int(elapsed))
        return b'data-seconds="%d"' % left

    return _COUNTDOWN.sub(now_left, content)


def never_cache_page(response: HttpResponse) -> HttpResponse:
    """This page shows something of this request only: render it for every visitor."""
    response.page_cache = False  # type: ignore[attr-defined]  # read by cache_anonymous_page
    return response


def _shared_request(request: HttpRequest) -> bool:
    """Whether the visitor is one of many alike: GET, no session, no cookie of their own."""
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
        return False
    allowed = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    return all(name in allowed for name in request.COOKIES)


def _key(version: int | str, request: HttpRequest) -> str:
    where = f"{request.get_host()}{request.get_full_path()}".encode()
    digest = hashlib.blake2b(where, digest_size=16).hexdigest()
    return f"storefront:page:{version}:{translation.get_language()}:{digest}"


def _entry(response: HttpResponse, version: int | str, now: datetime) -> Entry | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(response, "page_cache", True) is False
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
    ):
        return None
    content = response.content
    tokens = set(_CSRF_TOKEN.findall(content))
    if len(tokens) > 1:  # more than one token: ours to replace is not known for sure
        return None
    expires_at = expiry(version, now)
    headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
    return Entry(response.status_code, headers, content, next(iter(tokens), b""), expires_at,
                 rendered_at=now, countdowns=b"data-countdown" in content)  # fmt: skip


def cache_anonymous_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    version: Callable[..., int | str | None] | None = None,
) -> Any:
    """Serve `view` from the page cache to visitors without a session (see the module's doc).
    `version`, given the view's arguments, says what the page is cached under (None: do not
    cache); by default the version of every page."""
    if view is None:
        return functools.partial(cache_anonymous_page, version=version)
    version_of = version or (lambda request, *args, **kwargs: current_version())

    @functools.wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _shared_request(request):
            return view(request, *args, **kwargs)
        version = version_of(request, *args, **kwargs)
        if version is None:
            return view(request, *args, **kwargs)
        request.page_version = version  # type: ignore[attr-defined]  # for storefront.shared
        store, key, now = caches["pages"], _key(version, request), clock.now()
        entry = store.get(key)
        if entry is not None and entry.expires_at > now:
            return entry.response(request)
        response = view(request, *args, **kwargs)
        fresh = _entry(response, version, now)
        if fresh is not None and fresh.expires_at > now:
            seconds = (fresh.expires_at - now).total_seconds()
            store.set(key, fresh, max(1, int(seconds)))
        return response

    return serve


def item_page_key(request: HttpRequest, public_id: uuid.UUID) -> str | None:
    """What an item page is cached under: see item_page_version."""
    return item_page_version(public_id)
