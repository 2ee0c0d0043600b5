"""POST /collect served straight from the WSGI or ASGI entry, before Django's request machinery.

A beacon needs none of what the middleware stack does (sessions, CSRF, locale, messages, CSP
for a page): it costs several times the collector's own work there. These wrappers answer the
collector's one URL themselves, with the same rules (intake.py) as the Django view, which still
serves it in the test client. Every other request goes to Django untouched.
"""

import asyncio
import http
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host

from emporium.customer_events import intake, journal
from emporium.lib import clientip

log = logging.getLogger(__name__)

PATH = "/collect"
Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def asgi(app: ASGIApp) -> ASGIApp:
    """`app` with POST /collect answered here."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST":
            await _collect(scope, receive, send)
        else:
            await app(scope, receive, send)

    return serve


async def _read_body(receive: Receive, declared: str | None) -> bytes | None:
    if intake.too_large(declared):
        return None
    cap, chunks, size = settings.CUSTOMER_EVENTS_MAX_BODY_BYTES, [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""  # the client left; nothing will be answered anyway
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _answer(headers: dict[str, str], remote: str, body: bytes | None) -> intake.Answer:
    """In a thread: a cache miss looks its item or shop up in the database."""
    try:
        return intake.receive(
            content_type=headers.get("content-type", "").split(";")[0].strip().lower(),
            origin=headers.get("origin"),
            host=headers.get("host", ""),
            ip=clientip.resolve(
                remote,
                headers.get("x-forwarded-for", ""),
                clientip.networks(tuple(settings.TRUSTED_PROXIES)),
            ),  # fmt: skip
            user_agent=headers.get("user-agent", ""),
            body=body,
        )
    except Exception:
        log.exception("customer events: a batch failed")
        close_old_connections()  # a broken connection is not kept for the next batch
        return intake.unavailable()


async def _collect(scope: Scope, receive: Receive, send: Send) -> None:
    headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
    domain, _port = split_domain_port(headers.get("host", ""))
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        answer = intake.refusal(400, "bad_host", "This host is not served here.")
    else:
        body = await _read_body(receive, headers.get("content-length"))
        remote = (scope.get("client") or ("", 0))[0]
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(None, _answer, headers, remote, body)
        if answer.lines:
            answer = await _durable(loop, answer)
    raw = [(k.lower().encode(), v.encode("latin-1")) for k, v in answer.headers.items()]
    raw.append((b"content-length", str(len(answer.body)).encode()))
    raw.append((b"x-content-type-options", b"nosniff"))
    await send({"type": "http.response.start", "status": answer.status, "headers": raw})
    await send({"type": "http.response.body", "body": answer.body})


async def _durable(loop: asyncio.AbstractEventLoop, answer: intake.Answer) -> intake.Answer:
    """Wait until the journal has fsynced the batch's lines (group commit with other requests)."""
    written: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:
        if written.done():
            return
        if error is None:
            written.set_result(None)
        else:
            written.set_exception(error)

    def done(error: BaseException | None) -> None:  # on the journal's thread
        loop.call_soon_threadsafe(settle, error)

    journal.current().append(answer.lines, done)
    try:
        await written
    except OSError:
        return intake.unavailable()
    return answer


def wsgi(app: WSGIApp) -> WSGIApp:
    """`app` with POST /collect answered here. The request's thread waits for the journal's
    fsync; the server's other threads' beacons share it (group commit)."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST":
            return _collect_wsgi(environ, start_response)
        return app(environ, start_response)

    return serve


def _collect_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    headers = {"content-type": environ.get("CONTENT_TYPE", "")}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
    domain, _port = split_domain_port(headers.get("host", ""))
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        answer = intake.refusal(400, "bad_host", "This host is not served here.")
    else:
        answer = _answer(headers, environ.get("REMOTE_ADDR", ""), _read_wsgi_body(environ))
        if answer.lines:
            try:
                journal.current().write(answer.lines)
            except (OSError, TimeoutError):
                log.exception("customer events: the journal refused a batch")
                answer = intake.unavailable()
    raw = [*answer.headers.items(), ("Content-Length", str(len(answer.body))),
           ("X-Content-Type-Options", "nosniff")]  # fmt: skip
    start_response(f"{answer.status} {http.HTTPStatus(answer.status).phrase}", raw)
    return [answer.body]


def _read_wsgi_body(environ: dict[str, Any]) -> bytes | None:
    declared = environ.get("CONTENT_LENGTH")
    if intake.too_large(declared):
        return None
    try:
        length = int(declared or 0)
    except ValueError:
        length = 0
    # Without a Content-Length (chunked) nothing is read, as Django itself reads nothing then.
    return environ["wsgi.input"].read(length) if length > 0 else b""
