"""Sending one webhook request, refusing addresses inside our own network.

A webhook URL is chosen by a third party; without this check an app could make the platform
call its own admin, database or cloud metadata service (server-side request forgery).
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
EXCERPT = 500


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AddressRefused(Exception):
    pass


def check_destination(url: str) -> None:
    """Refuse non-HTTP(S) URLs and, unless allowed, hosts resolving to private addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("only http and https URLs are delivered to")
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise AddressRefused(f"cannot resolve {parts.hostname}: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise AddressRefused(f"{parts.hostname} resolves to a non-public address {address}")


def client() -> httpx.Client:
    # Redirects are not followed: a 3xx counts as a failure, so a redirect cannot lead the
    # platform to an address the check above would have refused.
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False)


def post(http: httpx.Client, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    try:
        check_destination(url)
        response = http.post(url, content=body, headers=headers)
    except AddressRefused as error:
        return Outcome(None, 0, error=str(error)[:300])
    except httpx.HTTPError as error:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Outcome(None, elapsed, error=f"{type(error).__name__}: {error}"[:300])
    elapsed = int((time.perf_counter() - started) * 1000)
    return Outcome(response.status_code, elapsed, excerpt=response.text[:EXCERPT])
