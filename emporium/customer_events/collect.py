"""Turn a batch from collect.js into stored events: validate each, resolve its shop, enrich it.

A malformed event, or one naming an item, SKU, shop or order that does not exist, is dropped
and counted; the rest of its batch is still stored, in one INSERT, so no event is half-written.
"""

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.db import IntegrityError, transaction
from pydantic import ValidationError

from emporium.catalog.models import Item, Sku
from emporium.customer_events import journal, visitors
from emporium.customer_events.models import CustomerEvent, new_customer_event_id
from emporium.customer_events.schema import (
    AddedToCart,
    CheckoutCompleted,
    EngagedTime,
    PageViewed,
    incoming_event,
)
from emporium.lib import clock
from emporium.shops.models import Shop
from emporium.trade.models import Order

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    accepted: int = 0
    dropped: int = 0  # malformed, or naming something that does not exist
    bots: int = 0


@dataclass(frozen=True)
class _Shop:
    pk: int
    public_id: str


# Public id → shop (and category) of items and shops, per process: most events of a page name
# the same item, and an item never moves shop. Only hits are kept, so a new item is found.
_CACHE_LIMIT = 20_000
_items: dict[UUID, tuple[_Shop, int]] = {}
_shops: dict[UUID, _Shop] = {}
_skus: dict[int, UUID] = {}  # SKU → its item's public id (a SKU never moves item)


def _item(public_id: UUID) -> tuple[_Shop, int] | None:
    hit = _items.get(public_id)
    if hit is None:
        row = (
            Item.objects.filter(public_id=public_id)
            .values_list("shop_id", "shop__public_id", "category_id")
            .first()
        )
        if row is None:
            return None
        if len(_items) >= _CACHE_LIMIT:
            _items.clear()
        hit = _items[public_id] = (_Shop(row[0], str(row[1])), row[2])
    return hit


def _shop(public_id: UUID) -> _Shop | None:
    hit = _shops.get(public_id)
    if hit is None:
        pk = Shop.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
        if pk is None:
            return None
        if len(_shops) >= _CACHE_LIMIT:
            _shops.clear()
        hit = _shops[public_id] = _Shop(pk, str(public_id))
    return hit


def _sku_of(sku_id: int, item_id: UUID) -> bool:
    """Whether the SKU exists and belongs to that item."""
    known = _skus.get(sku_id)
    if known is None:
        found = Sku.objects.filter(pk=sku_id).values_list("item__public_id", flat=True).first()
        if found is None:
            return False
        if len(_skus) >= _CACHE_LIMIT:
            _skus.clear()
        known = _skus[sku_id] = found
    return known == item_id


def forget_cached() -> None:
    """Drop the per-process caches (tests, or after a shop was deleted)."""
    _items.clear()
    _shops.clear()
    _skus.clear()


def referrer_of(raw: str | None) -> str | None:
    """Scheme, host and path of an http(s) referrer: its query may hold someone's e-mail,
    a token or a search, so it is never kept."""
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname + (f":{port}" if port else "")
    return f"{parts.scheme}://{host}{parts.path[:300]}"


def _page_data(event) -> tuple[_Shop | None, dict[str, Any]] | None:
    """The page's shop and what is delivered about the page; None when its ids do not hold."""
    page = event.page
    shop = _shop(page.shop_id) if page.shop_id else None
    if page.shop_id and shop is None:
        return None
    category_id = page.category_id
    if page.item_id:
        found = _item(page.item_id)
        if found is None or (shop is not None and shop != found[0]):
            return None
        shop, category_id = found  # the item's own category, whatever the page said
    data = {
        "path": page.path,
        "item_id": str(page.item_id) if page.item_id else None,
        "category_id": category_id,
        "shop_category_id": page.shop_category_id,
        "search": page.search or None,
    }
    return shop, data


def _specific(event, shop: _Shop | None) -> tuple[_Shop | None, dict[str, Any]] | None:
    """The fields one kind of event adds, checked against the database where they name rows."""
    if isinstance(event, PageViewed):
        utm = event.utm.model_dump(exclude_none=True) if event.utm else {}
        return shop, {"referrer": referrer_of(event.referrer), "utm": utm or None}
    if isinstance(event, EngagedTime):
        return shop, {"engaged_ms": event.engaged_ms}
    if isinstance(event, AddedToCart):
        found = _item(event.item_id)
        real = _sku_of(event.sku_id, event.item_id)
        if found is None or not real:
            return None
        data = {"item_id": str(event.item_id), "sku_id": event.sku_id, "quantity": event.quantity}
        return found[0], data
    if isinstance(event, CheckoutCompleted):
        order = (
            Order.objects.filter(public_id=event.order_id)
            .values("shop_id", "shop__public_id", "total_amount", "currency")
            .first()
        )
        if order is None:
            return None
        # The order's own amount, not the figure the page sent back.
        data = {
            "order_id": str(event.order_id),
            "total": f"{order['total_amount']:.2f}",
            "currency": order["currency"],
        }
        return _Shop(order["shop_id"], str(order["shop__public_id"])), data
    raise TypeError(f"no fields for {type(event).__name__}")


def _row(raw: Any, received_at: str, ip: str, user_agent: str, region) -> dict | None:
    """One event as stored (journal line and CustomerEvent fields), or None when dropped."""
    try:
        event = incoming_event.validate_python(raw)
    except ValidationError:
        return None
    page = _page_data(event)
    if page is None:
        return None
    specific = _specific(event, page[0])
    if specific is None:
        return None
    shop, data = specific
    return {
        "event_id": new_customer_event_id(),
        "name": event.type,
        "shop_id": shop.pk if shop else None,
        "received_at": received_at,
        "visitor_id": visitors.visitor_id(shop.public_id if shop else "", ip, user_agent),
        "session_id": event.session_id or "",
        "page_view_id": event.page_view_id,
        "page_type": event.page.type,
        "country": region.country,
        "province": region.province,
        "city": region.city,
        "data": {"page": page[1], **data},
    }


def prepare(raw_events: list[Any], *, ip: str, user_agent: str) -> tuple[Outcome, list[dict]]:
    """Validate and enrich the events of one request; the IP is used here and never kept."""
    if visitors.is_bot(user_agent):
        return Outcome(bots=len(raw_events)), []
    received_at, region = clock.now().isoformat(), visitors.region_of(ip)
    rows = [_row(raw, received_at, ip, user_agent, region) for raw in raw_events]
    kept = [row for row in rows if row is not None]
    return Outcome(accepted=len(kept), dropped=len(rows) - len(kept)), kept


def collect(raw_events: list[Any], *, ip: str, user_agent: str) -> Outcome:
    """Store the well-formed events of one batch straight into the database (the demo's
    traffic; the web collector goes through the journal instead, views.py)."""
    outcome, kept = prepare(raw_events, ip=ip, user_agent=user_agent)
    if kept:
        try:
            with transaction.atomic():
                CustomerEvent.objects.bulk_create([journal.event_of(row) for row in kept])
        except IntegrityError:
            # A shop deleted since this process cached it: forget, and lose this one batch.
            forget_cached()
            log.warning("customer events dropped: a cached shop no longer exists")
            return Outcome(dropped=outcome.accepted + outcome.dropped)
    return outcome
