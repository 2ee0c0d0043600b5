"""Rate limits per (app, shop): a token bucket whose size and refill rate follow the app's tier.

A bucket holds at most `capacity` tokens and gains `capacity / window` tokens a second; a call
takes one token or is refused with 429. Buckets live in the database (embedded default, one
short locked read-modify-write) or, when REDIS_URL is set, in Redis (one Lua script, atomic
on the server). Time comes from emporium.lib.clock, so tests can move it.

Headers follow draft-ietf-httpapi-ratelimit-headers-07:
    RateLimit-Policy: 60;w=60
    RateLimit: limit=60, remaining=42, reset=18
where `reset` is the seconds until the bucket is full again, and a 429 adds Retry-After (the
seconds until one token is back).
"""

import logging
import math
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction

from emporium.api.models import RateBucket
from emporium.lib import clock

logger = logging.getLogger("emporium.api.ratelimit")
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


def take(app_id: int, shop_id: int | None, tier: str) -> Decision:
    """Take one token from the (app, shop) bucket."""
    policy = policy_for(tier)
    key = f"{app_id}:{shop_id or 0}"
    now = clock.now().timestamp()
    if settings.REDIS_URL:
        allowed, tokens = _take_redis(key, policy, now)
    else:
        allowed, tokens = _take_db(key, policy, now)
    return Decision(allowed=allowed, tokens=tokens, policy=policy)


def _take_db(key: str, policy: Policy, now: float) -> tuple[bool, float]:
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
        allowed, tokens = refill_and_take(bucket.tokens, bucket.stamp, now, policy)
        RateBucket.objects.filter(pk=bucket.pk).update(tokens=tokens, stamp=max(now, bucket.stamp))
    return allowed, tokens


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
