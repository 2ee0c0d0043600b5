"""The collector's durable append log: an event answered 204 is on disk, then drained into the DB.

Every web process appends the enriched events of a request (never a raw IP) as JSON lines to a
segment file of its own, and answers only once the bytes are fsynced. One flusher thread per
process writes and fsyncs whatever requests arrived meanwhile in one go (group commit), so a
thousand beacons a second cost a few hundred fsyncs, not a thousand INSERT transactions that
queue on the database's write lock.

A segment is created under a temporary name, locked (`flock`) and only then renamed to
`*.jsonl`, and it stays locked while its process writes it. The process closes it after
ROTATE_SECONDS (releasing the lock); a crashed process's lock is released by the kernel. So
`drain()` — run by the dispatcher before it cuts batches, and by the tests — takes exactly the
segments no live process holds, inserts their events (`event_id` is unique, so a drain
interrupted after its commit and run again inserts nothing twice) and deletes them. A line cut
short by a crash was never fsynced, hence never answered: it is skipped.
"""

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from emporium.customer_events.models import CustomerEvent

log = logging.getLogger(__name__)

ROTATE_SECONDS = 1.0
INSERT_CHUNK = 2000
Done = Callable[[BaseException | None], None]


def directory() -> Path:
    path = Path(settings.CUSTOMER_EVENTS_JOURNAL_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _fsync_directory(path: Path) -> None:
    # A new file's name is durable only once its directory is (a power cut, not just a kill -9).
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """One process's writer: appends from any thread, one flusher thread doing group commit."""

    def __init__(self) -> None:
        self._pending: list[tuple[bytes, Done]] = []
        self._wake = threading.Condition()
        self._file_lock = threading.Lock()  # the segment: written by the flusher, closed by rotate
        self._fd: int | None = None
        self._opened_at = 0.0
        self._written = 0
        self._seq = 0
        self._thread = threading.Thread(target=self._run, name="customer-events-journal")
        self._thread.daemon = True
        self._thread.start()

    def append(self, lines: bytes, done: Done) -> None:
        """Queue `lines` (complete JSON lines); `done(None)` runs once they are fsynced, or
        `done(error)` if they could not be written."""
        with self._wake:
            self._pending.append((lines, done))
            self._wake.notify()

    def write(self, lines: bytes, timeout: float = 30) -> None:
        """Append and wait until durable (for synchronous callers)."""
        finished = threading.Event()
        failure: list[BaseException | None] = [None]

        def done(error: BaseException | None) -> None:
            failure[0] = error
            finished.set()

        self.append(lines, done)
        if not finished.wait(timeout):
            raise TimeoutError("the customer events journal did not commit in time")
        if failure[0] is not None:
            raise failure[0]

    def rotate(self) -> None:
        """Close the current segment, so drain() can take it."""
        with self._file_lock:
            self._close()

    def _run(self) -> None:
        while True:
            with self._wake:
                if not self._pending:
                    self._wake.wait(ROTATE_SECONDS / 2)
                batch, self._pending = self._pending, []
            error: BaseException | None = None
            with self._file_lock:
                if batch:
                    try:
                        self._flush(b"".join(lines for lines, _done in batch))
                    except OSError as failed:  # disk full, …: refuse, never pretend
                        log.exception("customer events journal: write failed")
                        error = failed
                        self._close()
                if self._fd is not None and time.monotonic() - self._opened_at >= ROTATE_SECONDS:
                    self._close()
            for _lines, done in batch:
                try:
                    done(error)
                except Exception:  # a waiter gone (its event loop closed): nothing to tell
                    log.debug("journal waiter failed", exc_info=True)

    def _open(self) -> int:
        self._seq += 1
        stem = f"{os.getpid()}-{time.time_ns()}-{self._seq}"
        folder = directory()  # read at each segment: tests move it
        temporary = folder / f"{stem}.open"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # before the name drain() looks for exists
        os.rename(temporary, folder / f"{stem}.jsonl")
        _fsync_directory(folder)
        self._opened_at, self._written = time.monotonic(), 0
        return fd

    def _flush(self, data: bytes) -> None:
        if self._fd is None:
            self._fd = self._open()
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        os.fsync(self._fd)
        self._written += len(data)

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the flock: the segment is drain()'s now
            self._fd = None


_journal: Journal | None = None
_journal_pid = 0
_create = threading.Lock()


def current() -> Journal:
    """This process's journal (a forked worker makes its own: threads do not survive a fork)."""
    global _journal, _journal_pid
    if _journal is None or _journal_pid != os.getpid():
        with _create:
            if _journal is None or _journal_pid != os.getpid():
                _journal, _journal_pid = Journal(), os.getpid()
    return _journal


def line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def event_of(row: dict[str, Any]) -> CustomerEvent:
    return CustomerEvent(
        event_id=row["event_id"],
        name=row["name"],
        shop_id=row["shop_id"],
        received_at=datetime.fromisoformat(row["received_at"]),
        visitor_id=row["visitor_id"],
        session_id=row["session_id"],
        page_view_id=row["page_view_id"],
        page_type=row["page_type"],
        country=row["country"],
        province=row["province"],
        city=row["city"],
        data=row["data"],
    )


def _read(fd: int) -> list[CustomerEvent]:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    events = []
    for raw in b"".join(chunks).split(b"\n")[:-1]:  # the part after the last newline: unfinished
        try:
            events.append(event_of(json.loads(raw)))
        except (ValueError, KeyError, TypeError):
            log.warning("customer events journal: skipped a damaged line")
    return events


def _insert(events: list[CustomerEvent]) -> None:
    for start in range(0, len(events), INSERT_CHUNK):
        chunk = events[start : start + INSERT_CHUNK]
        try:
            with transaction.atomic():
                CustomerEvent.objects.bulk_create(chunk, ignore_conflicts=True)
        except IntegrityError:
            # A shop deleted since the collector saw it: its events go with it, the rest stay.
            from emporium.shops.models import Shop

            shops = {e.shop_id for e in chunk if e.shop_id is not None}
            alive = set(Shop.objects.filter(pk__in=shops).values_list("pk", flat=True))
            kept = [e for e in chunk if e.shop_id is None or e.shop_id in alive]
            with transaction.atomic():
                CustomerEvent.objects.bulk_create(kept, ignore_conflicts=True)


def drain() -> int:
    """Insert the events of every segment no live process holds, then delete those segments.
    Returns how many events were read. This process's own open segment is closed first."""
    if _journal is not None and _journal_pid == os.getpid():
        _journal.rotate()
    read = 0
    for segment in sorted(directory().glob("*.jsonl")):
        try:
            fd = os.open(segment, os.O_RDONLY)
        except FileNotFoundError:  # another drain took it
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer, or another drain
            if not os.path.exists(segment):
                continue  # drained and deleted while we waited for the lock
            events = _read(fd)
            _insert(events)
            os.unlink(segment)
            read += len(events)
        finally:
            os.close(fd)
    return read
