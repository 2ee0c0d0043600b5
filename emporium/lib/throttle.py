"""Count attempts per key in fixed time windows, in the shared cache (Redis when REDIS_URL is set).

For doors that guess-work or bulk requests would abuse: log-in, sign-up, the event collector.
Keys are hashed, so an address or a user name never sits in the cache in clear.
"""

import hashlib
import time

from django.core.cache import cache


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt of `key`; False once it made more than `limit` in this window."""
    return count(scope, key, window, add=1) <= limit


def count(scope: str, key: str, window: int, add: int = 0) -> int:
    """Attempts of `key` in the current window of `window` seconds (after adding `add`)."""
    slot = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:40]
    cache_key = f"throttle:{scope}:{digest}:{slot}"
    if not add:
        return int(cache.get(cache_key, 0))
    # The window's key exists for every attempt but the first: one round trip, not two.
    try:
        return int(cache.incr(cache_key, add))
    except ValueError:  # the window's first attempt (or the key expired just now)
        if cache.add(cache_key, add, window + 1):
            return add
        try:
            return int(cache.incr(cache_key, add))  # another process added it meanwhile
        except ValueError:
            cache.set(cache_key, add, window + 1)
            return add


def retry_after(window: int) -> int:
    """Seconds until the current window ends."""
    return window - int(time.time()) % window
