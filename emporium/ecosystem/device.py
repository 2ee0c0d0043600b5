"""The device authorization grant (RFC 8628) for buyers' TVs, on django-oauth-toolkit's DeviceGrant.

oauthlib runs the protocol; this module holds Emporium's rules for it:
- user codes are 8 characters from an alphabet without look-alikes, shown as ABCD-EFGH and read
  back whatever the case, spaces or dash;
- a device polling sooner than its interval gets `slow_down`, and its interval grows by 5 s
  (RFC 8628 §3.5); an unknown code is `invalid_grant`, an old one `expired_token`;
- a device code gives one token pair only; after that it reads as expired;
- a member who types wrong codes is stopped after DEVICE_CODE_GUESSES a quarter-hour, since the
  code is short by design (§5.1).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from oauth2_provider.models import get_device_grant_model
from oauthlib.common import Request as OAuthRequest
from oauthlib.oauth2.rfc8628.grant_types import DeviceCodeGrant

from emporium.lib import clock

ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"  # no vowels (no words), no 0/O, 1/I look-alikes (§6.1)
CODE_LENGTH = 8
LIFETIME = timedelta(minutes=10)
SLOW_DOWN_STEP = 5
GUESS_WINDOW_SECONDS = 15 * 60


def user_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str:
    """What the buyer typed, as stored: upper case, without the dash and spaces we show."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def interval() -> int:
    return int(settings.OAUTH2_PROVIDER.get("DEVICE_FLOW_INTERVAL", 5))


def poll(client_id: str, code: str, request: OAuthRequest) -> str | None:
    """The validator's answer to one poll of the token endpoint (oauthlib maps it to the RFC's
    error, or issues the token when it is "authorized"); sets request.user and request.scopes."""
    model = get_device_grant_model()
    grant = model.objects.filter(client_id=client_id, device_code=code).first()
    if grant is None:
        return None
    now = clock.now()
    if grant.status == model.EXPIRED or now >= grant.expires:
        model.objects.filter(pk=grant.pk).update(status=model.EXPIRED)
        return DeviceCodeGrant.DEVICE_CODE_EXPIRED
    if grant.status == model.DENIED:
        return DeviceCodeGrant.DEVICE_CODE_DENIED
    # `last_checked` is when the device last asked (or when the code was issued).
    too_soon = now - grant.last_checked < timedelta(seconds=grant.interval)
    model.objects.filter(pk=grant.pk).update(last_checked=now)
    if grant.status == model.AUTHORIZATION_PENDING:
        if too_soon:
            model.objects.filter(pk=grant.pk).update(interval=F("interval") + SLOW_DOWN_STEP)
            return DeviceCodeGrant.DEVICE_CODE_SLOW_DOWN
        return DeviceCodeGrant.DEVICE_CODE_PENDING
    # Authorized: the conditional update is the claim, so one code yields one token pair.
    if not model.objects.filter(pk=grant.pk, status=model.AUTHORIZED).update(status=model.EXPIRED):
        return DeviceCodeGrant.DEVICE_CODE_EXPIRED
    request.user = grant.user
    request.scopes = grant.scope.split()
    return DeviceCodeGrant.DEVICE_CODE_AUTHORIZED


def pending_grant(typed: str):
    """The waiting device grant a buyer's typed code names, or None (unknown, used or expired)."""
    model = get_device_grant_model()
    grant = model.objects.filter(user_code=normalise(typed)).first()
    if grant is None or grant.status != model.AUTHORIZATION_PENDING:
        return None
    if clock.now() >= grant.expires:
        model.objects.filter(pk=grant.pk).update(status=model.EXPIRED)
        return None
    return grant


def _guess_key(member_id: int) -> str:
    return f"device-guesses:{member_id}"


def guesses_left(member_id: int) -> int:
    return settings.DEVICE_CODE_GUESSES - int(cache.get(_guess_key(member_id), 0))


def wrong_guess(member_id: int) -> None:
    key = _guess_key(member_id)
    if not cache.add(key, 1, GUESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, GUESS_WINDOW_SECONDS)
