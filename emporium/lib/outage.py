"""The database is away (restarted, failed over, out of connections): answer 503, not 500.

A request that meets a lost or refused database connection is not a bug of ours nor the
client's: it gets `503 Service Unavailable` with `Retry-After`, so clients and load balancers
retry. Django closes a connection that raised such an error at the end of the request, so the
next request opens a fresh one: the platform recovers on its own, without a restart.
"""

import errno

from django.db import InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 5
MESSAGE = "The service is briefly unavailable; try again in a few seconds."
DISK_FULL = "The server has no room to store this; try again later."


def is_outage(exc: BaseException | None) -> bool:
    """True for a database that cannot be reached or dropped the connection (not bad SQL: a
    missing table or a lock timeout are OperationalErrors too, and they also clear on retry)."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_disk_full(exc: BaseException | None) -> bool:
    """True when a write failed for want of room: the disk is full (ENOSPC), over a quota
    (EDQUOT) or over the process's file-size limit (EFBIG)."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
