"""The buyer's side, in memory only: their face, and the results made with it, for 10 minutes.

A fitting session holds the buyer's decoded face photo (pixels only: no file, no EXIF) so they
can switch models without giving it again. Results are JPEG bytes at unguessable URLs. Both are
dropped when their time is up (at most TTL seconds after they were made), when the buyer ends
the session, or when memory runs short (the oldest go first). Nothing here is ever written to
disk or logged: not the photo, not the result, not the tokens that name them.
"""

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from emporium_fitting.face import Face

TTL = 600.0  # seconds: the "at most 10 minutes"
MAX_SESSIONS = 200  # a 1,200-px photo is ~4 MB of pixels: ~1 GB at most, in the worst case
MAX_RESULTS = 1000


@dataclass
class Session:
    photo: np.ndarray
    face: Face
    shop_id: str
    expires: float
    results: list[str] = field(default_factory=list)


class Rooms:
    def __init__(self, ttl: float = TTL, clock: Callable[[], float] | None = None) -> None:
        self.ttl = ttl
        self._now = clock or time.monotonic
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._results: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, photo: np.ndarray, face: Face, shop_id: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = Session(photo, face, shop_id, self._now() + self.ttl)
            while len(self._sessions) > MAX_SESSIONS:
                self._drop_session(next(iter(self._sessions)))
        return token

    def session(self, token: str) -> Session | None:
        with self._lock:
            session = self._sessions.get(token)
            if session is None or session.expires <= self._now():
                return None
            return session

    def keep(self, session_token: str, jpeg: bytes) -> str:
        """Keep a result; it dies with its session at the latest."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            session = self._sessions.get(session_token)
            expires = session.expires if session else self._now() + self.ttl
            self._results[token] = (jpeg, expires)
            if session:
                session.results.append(token)
            while len(self._results) > MAX_RESULTS:
                self._results.popitem(last=False)
        return token

    def result(self, token: str) -> bytes | None:
        with self._lock:
            found = self._results.get(token)
            if found is None or found[1] <= self._now():
                return None
            return found[0]

    def close(self, token: str) -> bool:
        """The buyer is done: their photo and every result made with it go now."""
        with self._lock:
            return self._drop_session(token) > 0

    def sweep(self) -> int:
        """Drop everything whose time is up; returns how many things went."""
        now, gone = self._now(), 0
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.expires <= now]:
                gone += self._drop_session(token)
            for token in [t for t, (_, e) in self._results.items() if e <= now]:
                del self._results[token]
                gone += 1
        return gone

    def counts(self) -> tuple[int, int]:
        with self._lock:
            return len(self._sessions), len(self._results)

    def _drop_session(self, token: str) -> int:
        """Drop a session and its results; returns how many things went."""
        session = self._sessions.pop(token, None)
        if session is None:
            return 0
        gone = 1 + sum(self._results.pop(r, None) is not None for r in session.results)
        session.photo = np.zeros((1, 1, 3), dtype=np.uint8)  # let the pixels go at once
        return gone
