"""One cap on every request body (REQUEST_BODY_MAX_BYTES): refused before it is read.

Two layers, because a body can announce its size or not: the Django middleware answers 413 to a
declared `Content-Length` over the cap; the ASGI wrapper counts the bytes of a body that arrives
in chunks without one, and ends the request (Django aborts it) once the count passes the cap —
before Django's ASGI handler would have spooled all of it to disk.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def too_large() -> JsonResponse:
    return JsonResponse(
        {"error": {"code": "body_too_large", "message": "The request body is too large."}},
        status=413,
    )


def middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    def respond(request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            return too_large()
        return get_response(request)

    return respond


def asgi(app: ASGIApp, cap: Callable[[], int]) -> ASGIApp:
    """`app` with bodies over `cap()` bytes cut off while they stream in."""

    async def capped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit, received = cap(), 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    return {"type": "http.disconnect"}
            return message

        await app(scope, counting, send)

    return capped
