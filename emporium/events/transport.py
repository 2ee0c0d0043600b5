"""Sending one webhook request, refusing addresses inside our own network.

A webhook URL is chosen by a third party; without these checks an app could make the platform
call its own admin, database or cloud metadata service (server-side request forgery).

- The host is resolved once, at connect time, and the connection goes to an address that was
  checked (`Client`): a DNS answer that changes between a check and a connect (DNS
  rebinding) cannot lead anywhere else. TLS still verifies the certificate of the URL's host.
- Addresses that embed an IPv4 one (IPv4-mapped, NAT64, 6to4, IPv4-compatible) are judged by
  the IPv4 address they lead to.
- An attempt has a total deadline, not only per-operation timeouts, and reads at most
  `READ_CAP` bytes of the answer: a slow or endless answer costs one sender a bounded time.
- What is stored of an answer is a short excerpt with control characters removed.
- Connections are kept alive and reused (to the address checked when they were opened); the
  client is a small one of our own on httptools' parser, because httpx cost ~0.9 ms of CPU per
  request — most of a dispatcher's work (docs/performance.md, "Webhook delivery").
"""

import functools
import ipaddress
import re
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httptools
import httpx
from django.conf import settings

DEADLINE_SECONDS = 15.0  # the whole attempt: connect, send, headers and body; under schedule.LEASE
READ_CAP = 16 * 1024  # bytes of an answer read at most; the rest is never received
EXCERPT = 500  # characters of an answer kept for the developer center
MAX_URL_LENGTH = 500

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


@functools.lru_cache(maxsize=4096)
def check_url(url: str) -> str:
    """A webhook URL as we store it: http(s), a host, printable ASCII only, no credentials.
    Cached: a dispatcher checks the same few URLs before every request (a refusal is not cached)."""
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


class ProtocolError(Exception):
    """The answer was not HTTP we can read (or the server closed the connection mid-answer)."""


@functools.cache
def _system_trust() -> ssl.SSLContext:
    # Loading the system's certificates costs ~40 ms of CPU: once per process, not per client.
    return httpx.create_ssl_context()


class _Answer:
    """httptools' callbacks for one response: its status and at most READ_CAP bytes of body."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.body = bytearray()
        self.complete = False
        self.truncated = False
        self.parser = httptools.HttpResponseParser(self)

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, chunk: bytes) -> None:
        room = READ_CAP - len(self.body)
        if len(chunk) > room:
            self.truncated = True
        self.body += chunk[:room]

    def on_message_complete(self) -> None:
        if self.status is not None and self.status < 200:
            self.status = None  # an informational answer (100 Continue): the real one follows
            return
        self.complete = True


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the attempt's deadline passed")
    return left


class _Stale(Exception):
    """A reused connection turned out closed before any answer: the request may be sent again."""


@dataclass(frozen=True)
class _Reply:
    status_code: int
    body: bytes
    peer: str | None

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


MAX_HEAD = 64 * 1024  # bytes of status line and headers read at most


def _readable(sock: socket.socket) -> bool:
    poll = select.poll()
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(0))


def _peer(sock: socket.socket) -> str | None:
    try:
        return str(sock.getpeername()[0])
    except OSError:
        return None


class Client:
    """A keep-alive HTTP/1.1 client for webhook POSTs, pinned to checked addresses.

    A new connection resolves the host once, checks every address and connects to a checked one
    (no second lookup in between). Idle connections are kept per (scheme, host, port) for
    KEEPALIVE_SECONDS and reused: the address they lead to was checked when they were opened.
    Every socket operation waits at most what is left of the attempt's deadline. Thread-safe:
    each request holds its connection alone. It does only what a webhook needs (one POST with a
    body, no redirects, no proxies, no compression), at a fraction of httpx's cost per request.
    """

    KEEPALIVE_SECONDS = 5.0
    MAX_IDLE = 32  # idle connections kept per destination

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.idle: dict[tuple[str, str, int], list[tuple[float, socket.socket]]] = {}
        self.lock = threading.Lock()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, {}
        for connections in idle.values():
            for _, sock in connections:
                sock.close()

    def _reuse(self, key: tuple[str, str, int]) -> socket.socket | None:
        now = time.monotonic()
        while True:
            with self.lock:
                connections = self.idle.get(key)
                if not connections:
                    return None
                since, sock = connections.pop()
            # Too old, or closed (or sent something unasked) while idle: not reused.
            if now - since < self.KEEPALIVE_SECONDS and not _readable(sock):
                return sock
            sock.close()

    def _keep(self, key: tuple[str, str, int], sock: socket.socket) -> None:
        with self.lock:
            connections = self.idle.setdefault(key, [])
            if len(connections) < self.MAX_IDLE:
                connections.append((time.monotonic(), sock))
                return
        sock.close()

    def _connect(self, scheme: str, host: str, port: int, deadline: float) -> socket.socket:
        failure: OSError = ConnectionError(f"{host} has no address")
        for address in resolve(host, port):
            try:
                # A literal address: create_connection does no DNS lookup of its own.
                sock = socket.create_connection((str(address), port), timeout=_left(deadline))
            except OSError as error:
                failure = error
                continue
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if scheme == "https":
                    # The certificate is checked against the URL's host name, not the address.
                    context = self.ssl_context or _system_trust()
                    sock.settimeout(_left(deadline))
                    return context.wrap_socket(sock, server_hostname=host)
            except BaseException:
                sock.close()
                raise
            return sock
        raise failure

    def post(self, url: str, body: bytes, headers: dict[str, str], deadline: float) -> _Reply:
        """POST `body` to a URL that passed check_url; the answer's status and excerpt bytes."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, host, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"POST {target} HTTP/1.1", f"host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if any("\r" in line or "\n" in line for line in lines):
            raise ProtocolError("a header may not contain a line break")
        lines.append(f"content-length: {len(body)}")
        # One write (head and body together): one packet for a small event, not two.
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        sock = self._reuse(key)
        if sock is not None:
            try:
                return self._exchange(key, sock, request, deadline)
            except _Stale:
                pass  # the server closed the idle connection as we sent: a fresh one, once
        sock = self._connect(parts.scheme, host, port, deadline)
        try:
            return self._exchange(key, sock, request, deadline)
        except _Stale:
            raise ProtocolError("the server closed the connection without answering") from None

    def _exchange(
        self, key: tuple[str, str, int], sock: socket.socket, request: bytes, deadline: float
    ) -> _Reply:
        answer = _Answer()
        received = 0
        try:
            try:
                sock.settimeout(_left(deadline))
                sock.sendall(request)
            except (BrokenPipeError, ConnectionResetError):
                raise _Stale from None
            while not answer.complete:
                sock.settimeout(_left(deadline))
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    if received == 0:
                        raise _Stale from None
                    raise
                if not data:
                    if received == 0:
                        raise _Stale
                    if answer.status is None:
                        raise ProtocolError("the server closed the connection mid-answer")
                    break  # a body that ends with the connection
                received += len(data)
                if answer.status is None and received > MAX_HEAD:
                    raise ProtocolError(f"the answer's head is over {MAX_HEAD} bytes")
                try:
                    answer.parser.feed_data(data)
                except httptools.HttpParserUpgrade:
                    raise ProtocolError("the server switched protocols") from None
                except httptools.HttpParserError as error:
                    raise ProtocolError(f"not an HTTP answer: {error}") from None
                if answer.truncated:
                    break  # READ_CAP bytes are enough; the rest is never received
        except BaseException:
            sock.close()
            raise
        assert answer.status is not None  # noqa: S101 - complete or ended after the head
        reply = _Reply(answer.status, bytes(answer.body), _peer(sock))
        if answer.complete and not answer.truncated and answer.parser.should_keep_alive():
            self._keep(key, sock)
        else:
            sock.close()
        return reply


def client(ssl_context: ssl.SSLContext | None = None) -> Client:
    """`ssl_context`: the certificates to trust (tests); by default the system's."""
    # Redirects are not followed: a 3xx counts as a failure, so a redirect cannot lead the
    # platform to an address the check above would have refused. No proxy from the environment.
    return Client(ssl_context)


def clean(text: str, limit: int) -> str:
    """What may be stored and shown: no control characters (PostgreSQL refuses NUL), bounded."""
    return UNSAFE_TEXT.sub("", text)[:limit]


def _peer_is_public(reply: _Reply) -> bool:
    try:
        return reply.peer is not None and is_public(ipaddress.ip_address(reply.peer))
    except ValueError:
        return False


def _excerpt(reply: _Reply) -> str:
    """At most READ_CAP bytes were read; a refusal from a non-public address shows nothing,
    unless private networks are allowed (the developer's own machine)."""
    shown = reply.is_success or settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS
    if not shown and not _peer_is_public(reply):
        return ""
    return clean(reply.body.decode("utf-8", errors="replace"), EXCERPT)


def post(http: Client, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        check_url(url)
        # identity: the excerpt is read raw, so a compressed answer cannot expand in memory
        sent = {**headers, "accept-encoding": "identity"}
        reply = http.post(url, body, sent, deadline)
        excerpt = _excerpt(reply)
    except AddressRefused as error:
        return Outcome(None, 0, error=clean(str(error), 300))
    except (OSError, ProtocolError) as error:  # ssl.SSLError and TimeoutError are OSErrors
        elapsed = int((time.perf_counter() - started) * 1000)
        return Outcome(None, elapsed, error=clean(f"{type(error).__name__}: {error}", 300))
    elapsed = int((time.perf_counter() - started) * 1000)
    return Outcome(reply.status_code, elapsed, excerpt=excerpt)
