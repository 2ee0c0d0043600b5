"""Rate limits per (app, shop): a token bucket whose size and refill rate follow the app's tier.

A bucket holds at most `capacity` tokens and gains `capacity / window` tokens a second; a call
takes one token or is refused with 429. Buckets live in Redis when REDIS_URL is set (one Lua
script per call, atomic on the server), else in the database (the embedded default), where a
worker process leases tokens in batches: one short locked read-modify-write takes up to a
second's refill (`lease_size`) into process memory, and the calls after it take from the lease
without touching the database until it runs out or is a second old (`LEASE_SECONDS`). A worker
that finds the bucket empty refuses locally until a token is due back, so a flood of 429s does
not write either. Time comes from emporium.lib.clock, so tests can move it.

Headers follow draft-ietf-httpapi-ratelimit-headers-07:
    RateLimit-Policy: 60;w=60
    RateLimit: limit=60, remaining=42, reset=18
where `reset` is the seconds until the bucket is full again, and a 429 adds Retry-After (the
seconds until one token is back).
"""

import logging
import math
import threading
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction

from emporium.api.models import RateBucket
from emporium.lib import clock, exiting

logger = logging.getLogger("emporium.api.ratelimit")
# How long a worker may hold leased tokens: a lease spends tokens that were in the bucket when it
# was taken, so at most a second's refill of them can be spent later than a shared bucket would
# spend them (docs/decisions.md, "Rate-limit leases").
LEASE_SECONDS = 1.0
_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or capacity
local stamp = tonumber(state[2]) or now
if now > stamp then
  tokens = math.min(capacity, tokens + (now - stamp) * rate)
  stamp = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(stamp))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return {allowed, tostring(tokens)}
"""


@dataclass(frozen=True)
class Policy:
    capacity: int
    window: int  # seconds to refill an empty bucket

    @property
    def rate(self) -> float:
        return self.capacity / self.window


@dataclass(frozen=True)
class Decision:
    allowed: bool
    tokens: float
    policy: Policy

    @property
    def remaining(self) -> int:
        return max(0, math.floor(self.tokens))

    @property
    def reset(self) -> int:
        return math.ceil(max(0.0, self.policy.capacity - self.tokens) / self.policy.rate)

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((1 - self.tokens) / self.policy.rate))

    def headers(self) -> dict[str, str]:
        cap = self.policy.capacity
        return {
            "RateLimit-Policy": f"{cap};w={self.policy.window}",
            "RateLimit": f"limit={cap}, remaining={self.remaining}, reset={self.reset}",
        }


def policy_for(tier: str) -> Policy:
    limits = settings.API_RATE_LIMITS
    capacity, window = limits.get(tier, limits["free"])
    return Policy(capacity=capacity, window=window)


def refill_and_take(tokens: float, stamp: float, now: float, policy: Policy) -> tuple[bool, float]:
    """The bucket arithmetic (the Lua script does the same on Redis)."""
    tokens = min(policy.capacity, tokens + max(0.0, now - stamp) * policy.rate)
    if tokens >= 1:
        return True, tokens - 1
    return False, tokens


def take(app_id: int, shop_id: int | None, tier: str, buyer_id: int | None = None) -> Decision:
    """Take one token from the (app, shop) bucket — (app, buyer) for a buyer's token, so one
    busy buyer of an app never throttles its others."""
    policy = policy_for(tier)
    key = f"{app_id}:b{buyer_id}" if buyer_id is not None else f"{app_id}:{shop_id or 0}"
    now = clock.now().timestamp()
    if settings.REDIS_URL:
        allowed, tokens = _take_redis(key, policy, now)
    else:
        allowed, tokens = _take_db(key, policy, now)
    return Decision(allowed=allowed, tokens=tokens, policy=policy)


def lease_size(policy: Policy) -> int:
    """Tokens one trip to the database takes: a second's refill, at most a tenth of the bucket
    (so the few workers of one machine never hold much of it), at least the one this call needs.
    The free tier (one call a second) still goes to the database for every call it is allowed."""
    return max(1, min(policy.capacity // 10, math.ceil(policy.rate * LEASE_SECONDS)))


@dataclass(slots=True)
class _Lease:
    """Tokens this process took from a database bucket and has not spent yet."""

    policy: Policy
    tokens: int  # leased, unspent
    taken_at: float
    db_tokens: float  # the bucket's row right after the lease was taken …
    db_stamp: float  # … and its refill time
    refused_until: float = 0.0  # the row had no whole token; none is due back before this

    def fresh(self, policy: Policy, now: float) -> bool:
        return self.policy == policy and 0 <= now - self.taken_at < LEASE_SECONDS

    def view(self, now: float) -> float:
        """What the bucket holds as far as this process knows: its lease and the row refilled
        since (other workers' takes since then are not known; headers are an estimate then)."""
        row = min(
            self.policy.capacity, self.db_tokens + max(0.0, now - self.db_stamp) * self.policy.rate
        )
        return min(float(self.policy.capacity), self.tokens + row)


_leases: dict[str, _Lease] = {}
_leases_lock = threading.Lock()
# Beyond this many buckets a process has leased from, the stale leases are dropped (their unspent
# tokens count as spent: the bucket refills within its window anyway).
MAX_LEASES = 10_000


def forget() -> None:
    """Drop every lease this process holds (tests start clean); the tokens are not returned."""
    with _leases_lock:
        _leases.clear()


def give_back() -> int:
    """Return every unspent leased token to its bucket and drop the leases (a clean stop: a
    restarted worker does not leave its clients short); returns how many tokens went back."""
    now = clock.now().timestamp()
    with _leases_lock:
        held = [(key, lease) for key, lease in _leases.items() if lease.tokens >= 1]
        _leases.clear()
    returned = 0
    for key, lease in held:
        try:
            with transaction.atomic():
                bucket = RateBucket.objects.select_for_update().filter(key=key).first()
                if bucket is None:
                    continue
                policy = lease.policy
                tokens = min(policy.capacity, bucket.tokens + lease.tokens)
                tokens = min(policy.capacity, tokens + max(0.0, now - bucket.stamp) * policy.rate)
                RateBucket.objects.filter(pk=bucket.pk).update(
                    tokens=tokens, stamp=max(now, bucket.stamp)
                )
            returned += lease.tokens
        except Exception:
            # Stopping must not fail over a courtesy: the tokens come back with the refill anyway.
            logger.exception("rate limits: could not give back the lease of %s", key)
    return returned


exiting.on_clean_exit(give_back)


def _take_db(key: str, policy: Policy, now: float) -> tuple[bool, float]:
    with _leases_lock:
        lease = _leases.get(key)
        if lease is not None and lease.fresh(policy, now):
            if lease.tokens >= 1:
                lease.tokens -= 1
                return True, lease.view(now)
            if now < lease.refused_until:
                return False, lease.view(now)
        leftover = lease.tokens if lease is not None and lease.policy == policy else 0
        lease = _lease_from_db(key, policy, now, leftover)
        if len(_leases) >= MAX_LEASES:
            for stale in [k for k, held in _leases.items() if not held.fresh(held.policy, now)]:
                del _leases[stale]
        _leases[key] = lease
        if lease.refused_until:
            return False, lease.view(now)
        return True, lease.view(now)


def _lease_from_db(key: str, policy: Policy, now: float, leftover: int) -> _Lease:
    """Give back what the old lease left, refill, and take up to `lease_size` tokens (one for
    this call, the rest for the calls after it) — or none when the bucket has no whole token."""
    # select_for_update locks the row on PostgreSQL; on SQLite the IMMEDIATE transaction
    # (settings) already holds the write lock from BEGIN, so two callers never interleave.
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().filter(key=key).first()
        if bucket is None:
            try:
                with transaction.atomic():
                    bucket = RateBucket.objects.create(key=key, tokens=policy.capacity, stamp=now)
            except IntegrityError:  # another process created it first
                bucket = RateBucket.objects.select_for_update().get(key=key)
        stamp = max(now, bucket.stamp)
        tokens = min(policy.capacity, bucket.tokens + leftover)
        tokens = min(policy.capacity, tokens + max(0.0, now - bucket.stamp) * policy.rate)
        taken = min(lease_size(policy), math.floor(tokens))
        tokens -= taken
        RateBucket.objects.filter(pk=bucket.pk).update(tokens=tokens, stamp=stamp)
    lease = _Lease(policy, max(0, taken - 1), now, tokens, stamp)
    if not taken:
        lease.refused_until = now + (1 - tokens) / policy.rate
    return lease


@cache
def _redis_script(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    return client.register_script(_LUA)


def _take_redis(key: str, policy: Policy, now: float) -> tuple[bool, float]:
    import redis

    script = _redis_script(settings.REDIS_URL)
    try:
        allowed, tokens = script(
            keys=[settings.API_RATE_LIMIT_PREFIX + key], args=[policy.capacity, policy.rate, now]
        )
    except redis.RedisError:
        # Limits protect the platform; they are not worth an outage. Fail open, loudly.
        logger.warning("rate limits: Redis unreachable, letting %s through", key, exc_info=True)
        return True, policy.capacity - 1
    return bool(allowed), float(tokens)
