"""Who is asking: the client's address, believing X-Forwarded-For only from our own proxies.

`TRUSTED_PROXIES` (settings) lists the addresses or networks of the reverse proxies in front of
the platform. X-Forwarded-For is read right to left — each proxy appends the address it saw — and
only while the hop that wrote an entry is one of ours: the first address that is not a trusted
proxy is the client. Anything further left was written by the client and proves nothing. With no
trusted proxies (the default) the header is ignored and the client is REMOTE_ADDR.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of a TRUSTED_PROXIES list; a bad entry fails loudly."""
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in spec)
    except ValueError as error:
        raise ValueError(f"TRUSTED_PROXIES: {error}") from None


def _trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def resolve(remote: str, forwarded: str, trusted: tuple[Network, ...]) -> str:
    """The client's address given the socket's peer and the X-Forwarded-For header."""
    address = remote
    hops = [part.strip() for part in forwarded.split(",") if part.strip()]
    while _trusted(address, trusted) and hops:
        address = hops.pop()
    return address


def of(request: Any) -> str:
    """The client's address for a Django request, under settings.TRUSTED_PROXIES."""
    return resolve(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        networks(tuple(settings.TRUSTED_PROXIES)),
    )
