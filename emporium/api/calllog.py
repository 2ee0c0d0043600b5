"""The call log: every API call buffered in memory and written in batches, and per-app statistics.

A call appends one small tuple to an in-process buffer (no I/O on the request path); a
daemon thread writes the buffer with one bulk_create every API_CALL_LOG_FLUSH_SECONDS or
as soon as API_CALL_LOG_BATCH rows wait, and an exit hook (lib/exiting.py: granian's workers
too) writes what is left when the process stops cleanly. The trade-off: a process that
crashes loses the last second or so of *log*, never the call itself. Tests (and anything
wanting the rows now) call `flush()`.
"""

import logging
import threading
from collections import deque
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from emporium.api.models import ApiCall
from emporium.lib import clock, exiting

logger = logging.getLogger("emporium.api.calllog")

# Beyond this many waiting rows (a database that stays down) the oldest are dropped.
MAX_BUFFERED = 50_000


@dataclass(frozen=True, slots=True)
class Call:
    app_id: int | None
    shop_id: int | None
    method: str
    route: str
    status: int
    latency_ms: float
    request_id: str
    error_code: str
    at: datetime


_buffer: deque[Call] = deque(maxlen=MAX_BUFFERED)
_wake = threading.Event()
_stop = threading.Event()
_write_lock = threading.Lock()
_writer: threading.Thread | None = None
_start_lock = threading.Lock()


def record(call: Call) -> None:
    """Queue one call; called by the middleware on every API response."""
    _buffer.append(call)
    if settings.API_CALL_LOG_THREAD:
        _ensure_writer()
        if len(_buffer) >= settings.API_CALL_LOG_BATCH:
            _wake.set()


def flush() -> int:
    """Write every waiting row now; returns how many were written."""
    with _write_lock:
        rows = []
        while _buffer:
            rows.append(_buffer.popleft())
        if not rows:
            return 0
        try:
            ApiCall.objects.bulk_create(
                [ApiCall(**_fields(row)) for row in rows], batch_size=settings.API_CALL_LOG_BATCH
            )
        except Exception:
            # The log must never take the API down with it: count the loss and carry on.
            logger.exception("call log: %d rows lost", len(rows))
            return 0
        return len(rows)


def discard() -> None:
    """Forget waiting rows (tests start clean)."""
    _buffer.clear()


def pending() -> int:
    return len(_buffer)


def _fields(row: Call) -> dict:
    return {field.name: getattr(row, field.name) for field in fields(Call)}


def _ensure_writer() -> None:
    global _writer
    if _writer is not None and _writer.is_alive():
        return
    with _start_lock:
        if _writer is None or not _writer.is_alive():
            _writer = threading.Thread(target=_write_forever, name="api-call-log", daemon=True)
            _writer.start()


def _write_forever() -> None:
    while settings.API_CALL_LOG_THREAD and not _stop.is_set():
        _wake.wait(timeout=settings.API_CALL_LOG_FLUSH_SECONDS)
        _wake.clear()
        flush()
        # This thread owns its connection; drop it if it went stale or broke.
        close_old_connections()
    connection.close()


def stop_writer() -> None:
    """Stop the background writer (shutdown, tests) and write what waits."""
    global _writer
    _stop.set()
    _wake.set()
    if _writer is not None:
        _writer.join(timeout=10)
        _writer = None
    _stop.clear()
    flush()


exiting.on_clean_exit(stop_writer)


# ---------------------------------------------------------------- statistics for the developer center


@dataclass(frozen=True)
class DayStats:
    day: object
    calls: int
    errors: int


@dataclass(frozen=True)
class EndpointStats:
    method: str
    route: str
    calls: int
    errors: int


@dataclass(frozen=True)
class AppStats:
    since: datetime
    calls: int
    errors: int
    error_rate: float
    p50_ms: float | None
    p95_ms: float | None
    per_day: list[DayStats]
    top_endpoints: list[EndpointStats]
    recent_errors: list[ApiCall]


def calls_of(app_id: int, since: datetime):
    return ApiCall.objects.filter(app_id=app_id, at__gte=since)


def calls_per_day(app_id: int, since: datetime) -> list[DayStats]:
    """Calls and errors (status 400 and above) per UTC day, oldest first."""
    rows = (
        calls_of(app_id, since)
        .annotate(day=TruncDate("at", tzinfo=UTC))
        .values("day")
        .annotate(calls=Count("id"), errors=Count("id", filter=Q(status__gte=400)))
        .order_by("day")
    )
    return [DayStats(row["day"], row["calls"], row["errors"]) for row in rows]


def percentile(app_id: int, since: datetime, fraction: float) -> float | None:
    """The nearest-rank percentile of latency, computed by the database with ORDER BY + OFFSET.

    Two cheap indexed queries on either database, instead of loading every latency.
    """
    found = calls_of(app_id, since)
    count = found.count()
    if not count:
        return None
    rank = max(1, -(-int(fraction * 1000) * count // 1000))  # ceil(fraction × count)
    values = found.order_by("latency_ms").values_list("latency_ms", flat=True)
    return round(values[rank - 1], 2)


def top_endpoints(app_id: int, since: datetime, limit: int = 10) -> list[EndpointStats]:
    rows = (
        calls_of(app_id, since)
        .values("method", "route")
        .annotate(calls=Count("id"), errors=Count("id", filter=Q(status__gte=400)))
        .order_by("-calls", "route", "method")[:limit]
    )
    return [EndpointStats(r["method"], r["route"], r["calls"], r["errors"]) for r in rows]


def recent_errors(app_id: int, limit: int = 20) -> list[ApiCall]:
    """The latest failed calls with their request ids, for a developer to quote to support."""
    return list(
        ApiCall.objects.filter(app_id=app_id, status__gte=400).order_by("-at", "-id")[:limit]
    )


def app_stats(app_id: int, days: int = 7) -> AppStats:
    """Everything the developer center shows for one app over the last `days` days."""
    since = clock.now() - timedelta(days=days)
    totals = calls_of(app_id, since).aggregate(
        calls=Count("id"), errors=Count("id", filter=Q(status__gte=400))
    )
    calls, errors = totals["calls"], totals["errors"]
    return AppStats(
        since=since,
        calls=calls,
        errors=errors,
        error_rate=round(errors / calls, 4) if calls else 0.0,
        p50_ms=percentile(app_id, since, 0.50),
        p95_ms=percentile(app_id, since, 0.95),
        per_day=calls_per_day(app_id, since),
        top_endpoints=top_endpoints(app_id, since),
        recent_errors=recent_errors(app_id),
    )


def purge(older_than_days: int) -> int:
    """Delete log rows older than the retention period (run daily by the worker)."""
    cutoff = clock.now() - timedelta(days=older_than_days)
    deleted, _ = ApiCall.objects.filter(at__lt=cutoff).delete()
    return deleted
