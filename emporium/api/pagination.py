"""Cursor pagination: an opaque cursor holds the last row's (sort key, id), never an offset.

A page is `{"data": [...], "next_cursor": "..."}`; the next page starts strictly after the
row the cursor names, so rows inserted or deleted meanwhile never shift what a client sees
(and a row whose sort key changes appears at its new place, never twice in a row).
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from emporium.api.errors import ApiError
from emporium.api.schemas.common import PageQuery


def _dump(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if isinstance(value, dict) and "dec" in value:
        return Decimal(value["dec"])
    if isinstance(value, dict | list):
        raise ValueError("unexpected value in cursor")
    return value


def encode_cursor(name: str, key: Any, tiebreak: Any) -> str:
    raw = json.dumps([name, _dump(key), _dump(tiebreak)], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, name: str) -> tuple[Any, Any]:
    """The (key, tiebreak) a cursor of this list holds; anything else is invalid_cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, key, tiebreak = json.loads(raw)
        if kind != name:
            raise ValueError("a cursor of another list")
        return _load(key), _load(tiebreak)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_cursor", field="cursor") from None


def paginate(
    rows: QuerySet,
    query: PageQuery,
    *,
    key: str,
    tiebreak: str = "pk",
    descending: bool = False,
    name: str | None = None,
) -> tuple[list, str | None]:
    """One page of `rows` ordered by (key, tiebreak) and the cursor of the next page, if any."""
    name = name or key
    if query.cursor:
        after_key, after_id = decode_cursor(query.cursor, name)
        op = "lt" if descending else "gt"
        try:
            # The bound on the key alone is implied by the pair's, but lets an index on the key
            # seek to the page instead of scanning every row before it (trade's plan tests).
            rows = rows.filter(**{f"{key}__{op}e": after_key}).filter(
                Q(**{f"{key}__{op}": after_key})
                | Q(**{key: after_key, f"{tiebreak}__{op}": after_id})
            )
        except (ValueError, TypeError, ValidationError):  # well-formed, but not our values
            raise ApiError("invalid_cursor", field="cursor") from None
    sign = "-" if descending else ""
    found = list(rows.order_by(f"{sign}{key}", f"{sign}{tiebreak}")[: query.limit + 1])
    page, more = found[: query.limit], len(found) > query.limit
    if not more:
        return page, None
    last = page[-1]
    return page, encode_cursor(name, _get(last, key), _get(last, tiebreak))


def _get(row: Any, attribute: str) -> Any:
    if isinstance(row, dict):
        return row[attribute]
    return getattr(row, attribute)


def page_of(rows: Sequence, cursor: str | None, convert: Callable[[Any], Any]) -> dict:
    """The response body of a page: each row converted to its schema."""
    return {"data": [convert(row) for row in rows], "next_cursor": cursor}
