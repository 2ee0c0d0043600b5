"""Checks each delivered customer event, order and item, and flattens it into a row of the store."""

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from emporium_stats.store.sources import classify

NAMES = {"page_viewed", "engaged_time", "added_to_cart", "checkout_completed"}
ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
UTM_KEYS = ("source", "medium", "campaign", "term", "content")
MAX_TEXT = 2000


class InvalidInput(ValueError):
    """An event, order or item the store refuses; the message names the field."""

    def __init__(self, where: str, field: str, problem: str) -> None:
        super().__init__(f"{where}: {field} {problem}")
        self.where, self.field, self.problem = where, field, problem


class _Reader:
    """Typed access to one input dict, raising InvalidInput that names the field."""

    def __init__(self, where: str, data: Any, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise InvalidInput(where, prefix.rstrip(".") or "event", "must be an object")
        self.where, self.data, self.prefix = where, data, prefix

    def fail(self, key: str, problem: str) -> InvalidInput:
        return InvalidInput(self.where, self.prefix + key, problem)

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise self.fail(key, "is missing")
        value = self.data[key]
        if value is None and optional:
            return None
        # bool is an int to Python, never to us.
        if not isinstance(value, kind) or isinstance(value, bool):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(
                key, f"must be {names}{' or null' if optional else ''}, not {value!r:.40}"
            )
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise self.fail(key, f"is longer than {MAX_TEXT} characters")
        return value

    def id(self, key: str, *, optional: bool = False) -> str | None:
        value: str | None = self.get(key, str, optional=optional)
        if value is not None and not ID.match(value):
            raise self.fail(key, "must be 1–64 letters, digits, '-' or '_'")
        return value

    def uuid(self, key: str, *, optional: bool = False) -> str | None:
        value = self.get(key, str, optional=optional)
        if value is None:
            return None
        try:
            return str(UUID(value))
        except ValueError:
            raise self.fail(key, f"must be a UUID, not {value!r:.40}") from None

    def moment(self, key: str, *, optional: bool = False) -> datetime | None:
        value = self.get(key, str, optional=optional)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"must be an ISO 8601 time, not {value!r:.40}") from None
        if moment.tzinfo is None:
            raise self.fail(key, "must carry a time zone (UTC)")
        return moment.astimezone(UTC)

    def decimal(self, key: str, value: Any = None) -> Decimal:
        value = self.get(key, str) if value is None else value
        try:
            amount = Decimal(value)
        except (InvalidOperation, TypeError):
            raise self.fail(key, f"must be a decimal string, not {value!r:.40}") from None
        if not amount.is_finite() or abs(amount) >= 10**10:
            raise self.fail(key, "is out of range")
        return amount.quantize(Decimal("0.01"))

    def sub(self, key: str) -> "_Reader":
        return _Reader(self.where, self.get(key, dict), self.prefix + key + ".")

    def positive(self, key: str, *, upper: int = 10**12) -> int:
        value: int = self.get(key, int)
        if not 0 <= value <= upper:
            raise self.fail(key, f"must be between 0 and {upper}")
        return value


def event_row(event: Any, index: int, tz: ZoneInfo) -> dict[str, Any]:
    """One delivered event → one row of the events table; InvalidInput names what is wrong."""
    where = f"event {index}"
    if isinstance(event, dict) and isinstance(event.get("event_id"), str):
        where += f" ({event['event_id'][:64]})"
    r = _Reader(where, event)
    name = r.get("name", str)
    if name not in NAMES:
        raise r.fail("name", f"must be one of {', '.join(sorted(NAMES))}, not {name!r:.40}")
    ts = r.moment("received_at")
    assert ts is not None
    local = ts.astimezone(tz)
    page, region = r.sub("page"), r.sub("region")
    session_id = r.id("session_id", optional=True)
    page_view_id = r.id("page_view_id")
    row: dict[str, Any] = {
        "event_id": r.id("event_id"),
        "name": name,
        "ts": ts,
        "day": local.date(),
        "hour": local.hour,
        "shop_id": r.uuid("shop_id"),
        "visitor_id": r.id("visitor_id"),
        "session_id": session_id,
        "visit_id": session_id or page_view_id,
        "page_view_id": page_view_id,
        "page_type": page.get("type", str),
        "page_path": page.get("path", str),
        "page_item_id": page.uuid("item_id", optional=True),
        "page_category_id": page.get("category_id", int, optional=True),
        "page_shop_category_id": page.get("shop_category_id", int, optional=True),
        "page_search": page.get("search", str, optional=True),
        "country": region.get("country", str),
        "province": region.get("province", str),
        "city": region.get("city", str),
    }
    referrer, utm = None, None
    if name == "page_viewed":
        referrer = r.get("referrer", str, optional=True)
        utm_data = r.get("utm", dict, optional=True)
        if utm_data is not None:
            reader = _Reader(where, utm_data, "utm.")
            utm = {k: reader.get(k, str, optional=True) for k in UTM_KEYS}
    row["referrer"] = referrer
    row["source"], row["source_name"], row["campaign"] = classify(referrer, utm)
    for key in UTM_KEYS:
        row["utm_" + key] = (utm or {}).get(key)
    row.update(engaged_ms=None, item_id=None, sku_id=None, quantity=None)
    row.update(order_id=None, total=None, currency=None)
    if name == "engaged_time":
        row["engaged_ms"] = r.positive("engaged_ms")
    elif name == "added_to_cart":
        row["item_id"] = r.uuid("item_id")
        row["sku_id"] = r.get("sku_id", int)
        row["quantity"] = r.positive("quantity", upper=999)
    elif name == "checkout_completed":
        row["order_id"] = r.uuid("order_id")
        row["total"] = r.decimal("total")
        row["currency"] = r.get("currency", str)
    return row


def _money(r: _Reader, key: str) -> tuple[Decimal, str]:
    money = r.sub(key)
    return money.decimal("amount"), money.get("currency", str)


def order_rows(
    shop_id: str, order: Any, index: int, tz: ZoneInfo
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An order as GET /api/v1/orders/{id} returns it → (order row, its line rows)."""
    r = _Reader(f"order {index}", order)
    order_id = r.uuid("id")
    created = r.moment("created_at")
    assert created is not None
    moments = [created] + [
        r.moment(k, optional=True)
        for k in ("paid_at", "shipped_at", "completed_at", "settled_at", "cancelled_at")
    ]
    total, currency = _money(r, "total_amount")
    local = created.astimezone(tz)
    row = {
        "order_id": order_id,
        "shop_id": shop_id,
        "number": r.get("number", str),
        "status": r.get("status", str),
        "created_at": created,
        "created_day": local.date(),
        "created_hour": local.hour,
        "paid_at": moments[1],
        "total_amount": total,
        "currency": currency,
        "as_of": max(m for m in moments if m is not None),
    }
    lines = []
    for i, line in enumerate(r.get("lines", list)):
        lr = _Reader(r.where, line, f"lines[{i}].")
        amount, _ = _money(lr, "total")
        lines.append(
            {
                "order_id": order_id,
                "shop_id": shop_id,
                "item_id": lr.uuid("item_id"),
                "quantity": lr.positive("quantity"),
                "total": amount,
            }
        )
    return row, lines


def item_row(shop_id: str, item: Any, index: int) -> dict[str, Any]:
    """An item as GET /api/v1/items returns it → a row of the items snapshot."""
    r = _Reader(f"item {index}", item)
    price, currency = _money(r, "price")
    return {
        "shop_id": shop_id,
        "item_id": r.uuid("id"),
        "title": r.get("title", str),
        "status": r.get("status", str),
        "price": price,
        "currency": currency,
    }


def shop_uuid(value: Any) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise InvalidInput("shop", "shop_id", f"must be a UUID, not {value!r:.40}") from None
