"""Who sent an event, without keeping who it was: client IP, region, salted visitor id, bots.

The IP address is used here, in memory, and dropped: only the region it maps to and a salted
hash (which needs today's salt, deleted tomorrow) leave this module.
"""

import hashlib
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import maxminddb
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from emporium.customer_events.models import VisitorSalt
from emporium.lib import clientip, clock

# Substrings (case-insensitive) of user agents that are not people: search and social
# crawlers, monitors, headless browsers and HTTP libraries. Kept short on purpose — the
# well-behaved bots all say "bot", "crawl" or "spider"; the rest are the common tools.
BOT_PATTERNS = [
    r"bot\b", r"bot/", r"crawl", r"spider", r"slurp", r"scrap", r"archiver", r"fetcher",
    r"headless", r"phantomjs", r"selenium", r"puppeteer", r"playwright", r"lighthouse",
    r"pagespeed", r"pingdom", r"uptime", r"monitor", r"facebookexternalhit", r"semrush",
    r"ahrefs", r"^curl/", r"^wget/", r"python-requests", r"python-urllib", r"python-httpx",
    r"aiohttp", r"httpclient", r"okhttp", r"go-http-client", r"^java/", r"libwww", r"node-fetch",
    r"axios/", r"^mozilla/\d\.\d$",
]  # fmt: skip
_BOTS = re.compile("|".join(BOT_PATTERNS), re.IGNORECASE)


@lru_cache(maxsize=4096)  # a few thousand user agents make most traffic; the regex is slow
def is_bot(user_agent: str) -> bool:
    """A robot's user agent, or none at all (browsers always send one)."""
    return not user_agent.strip() or _BOTS.search(user_agent) is not None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: X-Forwarded-For only from TRUSTED_PROXIES (lib/clientip.py)."""
    return clientip.of(request)


@dataclass(frozen=True)
class Region:
    country: str = ""
    province: str = ""
    city: str = ""


NOWHERE = Region()


@lru_cache(maxsize=4)
def _reader(path: str) -> maxminddb.Reader | None:
    try:
        return maxminddb.open_database(path)  # memory-mapped: opening is cheap, shared by workers
    except (OSError, ValueError, maxminddb.InvalidDatabaseError):
        return None


def region_of(ip: str) -> Region:
    """Country code, province and city from DB-IP City Lite; empty when unknown or no database."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return NOWHERE
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_global:
        return NOWHERE
    path = settings.GEOIP_DATABASE if address.version == 4 else settings.GEOIP_DATABASE_V6
    reader = _reader(path) if path else None
    if reader is None:
        return NOWHERE
    try:
        found = reader.get(address)
    except (ValueError, maxminddb.InvalidDatabaseError):
        return NOWHERE
    if not isinstance(found, dict):
        return NOWHERE
    return Region(
        country=str(found.get("country_code") or "")[:2],
        province=str(found.get("state1") or "")[:80],
        city=str(found.get("city") or "")[:80],
    )


_salts: dict[date, str] = {}


def salt_of(day: date) -> str:
    """The day's random salt, made by whichever process needs it first; older ones deleted."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    row = VisitorSalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32))
                VisitorSalt.objects.filter(day__lt=day).delete()
        except IntegrityError:  # another process made it first: use theirs
            row = VisitorSalt.objects.get(day=day)
    _salts.clear()  # only today's is ever needed again
    _salts[day] = row.salt
    return row.salt


def visitor_id(shop_key: str, ip: str, user_agent: str) -> str:
    """Plausible's scheme: hash(daily salt, shop, IP, user agent). Stable for a day within one
    shop, unlinkable across shops and across days, and irreversible once the salt is gone."""
    salt = salt_of(clock.now().date())
    message = f"{shop_key}\x00{ip}\x00{user_agent}".encode()
    return hashlib.blake2b(message, key=bytes.fromhex(salt), digest_size=16).hexdigest()
