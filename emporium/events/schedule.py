"""When a failed delivery is tried again: the Standard Webhooks schedule, about 27.6 hours."""

from datetime import timedelta

# Wait before attempt n+1 (attempt 1 is immediate). Eight attempts in all; the last one comes
# 27 h 35 min 5 s after the first, so a receiver down for most of a day still gets everything.
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# An endpoint that has not answered 2xx for this long, and has just exhausted a delivery's
# schedule, is disabled and its developer told.
DISABLE_AFTER = timedelta(hours=24)
# A worker that took a delivery owns it this long; killed mid-send, it is due again after.
LEASE = timedelta(seconds=60)


def next_delay(attempts_made: int) -> timedelta | None:
    """The wait after `attempts_made` failed attempts, or None when the schedule is spent."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempts_made - 1]
