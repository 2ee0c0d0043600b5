"""The platform's clock: real time in production, a hand-set time in tests of schedules."""

from datetime import datetime, timedelta

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Timezone-aware UTC now, or the time a test has set."""
    return _frozen if _frozen is not None else timezone.now()


def set_time(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (aware); None returns to real time."""
    global _frozen
    if moment is not None and timezone.is_naive(moment):
        raise ValueError("the clock takes aware datetimes only")
    _frozen = moment


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward (freezing it at real now first if needed)."""
    set_time(now() + delta)
    return now()


def frozen_at() -> datetime | None:
    """The time a test or a seeder has set, or None when the clock runs in real time."""
    return _frozen
