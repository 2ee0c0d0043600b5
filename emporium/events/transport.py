"""Sending one webhook request, refusing addresses inside our own network.

A webhook URL is chosen by a third party; without these checks an app could make the platform
call its own admin, database or cloud metadata service (server-side request forgery).

- The host is resolved once, at connect time, and the connection goes to an address that was
  checked (`PinnedBackend`): a DNS answer that changes between a check and a connect (DNS
  rebinding) cannot lead anywhere else. TLS still verifies the certificate of the URL's host.
- Addresses that embed an IPv4 one (IPv4-mapped, NAT64, 6to4, IPv4-compatible) are judged by
  the IPv4 address they lead to.
- An attempt has a total deadline, not only per-operation timeouts, and reads at most
  `READ_CAP` bytes of the answer: a slow or endless answer costs one sender a bounded time.
- What is stored of an answer is a short excerpt with control characters removed.
"""

import contextvars
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEADLINE_SECONDS = 15.0  # the whole attempt: connect, send, headers and body; under schedule.LEASE
READ_CAP = 16 * 1024  # bytes of an answer read at most; the rest is never received
EXCERPT = 500  # characters of an answer kept for the developer center
MAX_URL_LENGTH = 500

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "webhook_deadline", default=None
)


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


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one leads to, when it carries one."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IP) -> bool:
    """Reachable on the public internet, and not a way back into a private network."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL or address.teredo is not None:
            return False  # a local translator, or a tunnel whose client address is hidden
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
    # Python 3.11 calls some special ranges (multicast, 64:ff9b::/96) global; they are not.
    return address.is_global and not address.is_multicast and not address.is_reserved


def check_url(url: str) -> str:
    """A webhook URL as we store it: http(s), a host, printable ASCII only, no credentials."""
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"a URL has at most {MAX_URL_LENGTH} characters")
    if any(not ("\x21" <= char <= "\x7e") for char in url):
        raise AddressRefused(
            "the URL has a space, a control character or a non-ASCII character; "
            "percent-encode it (and write an international host name in its xn-- form)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("only http and https URLs are delivered to")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("a URL may not carry a user name or password")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError:
        raise AddressRefused("the URL's port is not a number from 1 to 65535") from None
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as error:
        raise AddressRefused(f"the URL is not valid: {error}") from None
    return url


def resolve(host: str, port: int) -> list[IP]:
    """Every address of `host`; refused when any is not public (unless private is allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(f"cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        for address in addresses:
            if not is_public(address):
                raise AddressRefused(f"{host} resolves to a non-public address {address}")
    return addresses


def check_destination(url: str) -> None:
    """Refuse bad URLs and hosts resolving to private addresses (when endpoints are saved)."""
    check_url(url)
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return  # any address will do; nothing to look up before sending
    parts = urlsplit(url)
    resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))


def _remaining(timeout: float | None) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the attempt's deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """Every read and write waits at most what is left of the current attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream):
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, _remaining(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class PinnedBackend(httpcore.SyncBackend):
    """Resolves the host once, checks the addresses, and connects to one of them: no second
    lookup happens between the check and the connection."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in resolve(host, port):
            try:
                stream = super().connect_tcp(
                    str(address), port, _remaining(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            return DeadlineStream(stream)
        raise failure


class PinnedTransport(httpx.HTTPTransport):
    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=PinnedBackend(),
        )


def client(ssl_context: ssl.SSLContext | None = None) -> httpx.Client:
    """`ssl_context`: the certificates to trust (tests); by default the system's."""
    # Redirects are not followed: a 3xx counts as a failure, so a redirect cannot lead the
    # platform to an address the check above would have refused. No proxy from the environment.
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        transport=PinnedTransport(ssl_context),
        trust_env=False,
    )


def clean(text: str, limit: int) -> str:
    """What may be stored and shown: no control characters (PostgreSQL refuses NUL), bounded."""
    return UNSAFE_TEXT.sub("", text)[:limit]


def _peer_is_public(response: httpx.Response) -> bool:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    try:
        return peer is not None and is_public(ipaddress.ip_address(peer[0]))
    except ValueError:
        return False


def _excerpt(response: httpx.Response) -> str:
    """At most READ_CAP bytes are read; a refusal from a non-public address shows nothing,
    unless private networks are allowed (the developer's own machine)."""
    shown = response.is_success or settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS
    if not shown and not _peer_is_public(response):
        return ""
    received = b""
    for chunk in response.iter_raw():
        received += chunk
        if len(received) >= READ_CAP:
            break
    return clean(received[:READ_CAP].decode("utf-8", errors="replace"), EXCERPT)


def post(http: httpx.Client, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    token = _deadline.set(time.monotonic() + DEADLINE_SECONDS)
    try:
        check_url(url)
        # identity: the excerpt is read raw, so a compressed answer cannot expand in memory
        sent = {**headers, "accept-encoding": "identity"}
        with http.stream("POST", url, content=body, headers=sent) as response:
            excerpt = _excerpt(response)
    except AddressRefused as error:
        return Outcome(None, 0, error=clean(str(error), 300))
    except (httpx.HTTPError, httpx.InvalidURL, httpcore.TimeoutException) as error:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Outcome(None, elapsed, error=clean(f"{type(error).__name__}: {error}", 300))
    finally:
        _deadline.reset(token)
    elapsed = int((time.perf_counter() - started) * 1000)
    return Outcome(response.status_code, elapsed, excerpt=excerpt)
