"""The routes every installed app answers, for apps built on Starlette: install, OAuth callback, webhooks.

    routes = app_routes(
        start_install=state.installer.start,          # -> the platform's authorize URL
        finish_install=lambda query: state.finish_install(query).shop_id,
        receive=state.receive,                         # verifies and handles one delivery
        platform_url=config.platform_url,
    )

The market sends a seller to `/install`; the platform sends them back to `/oauth/callback`, and
after the code is exchanged the seller lands on the platform's "installed" page. Deliveries
come to `/webhooks`: 204 when handled, 400 with the reason when the signature is refused (the
platform then retries, which is what a forged or stale delivery deserves). The app's own calls
run in a worker thread, so a slow token exchange never stalls the event loop.

Needs the `starlette` extra: `pip install "emporium-sdk[starlette]"`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from emporium_sdk.errors import EmporiumError, WebhookVerificationError


def app_routes(
    *,
    start_install: Callable[[], str],
    finish_install: Callable[[dict[str, str]], str],
    receive: Callable[[dict[str, str], bytes], Any],
    platform_url: str,
) -> list[Route]:
    """`/install`, `/oauth/callback` and `/webhooks`, wired to the app's own functions."""

    async def install(request: Request) -> Response:
        return RedirectResponse(await run_in_threadpool(start_install), status_code=302)

    async def callback(request: Request) -> Response:
        query: Mapping[str, str] = request.query_params
        try:
            shop_id = await run_in_threadpool(finish_install, dict(query))
        except EmporiumError as error:
            return HTMLResponse(
                f"<h1>Installation failed</h1><p>{html.escape(str(error))}</p>", 400
            )
        return RedirectResponse(
            f"{platform_url.rstrip('/')}/seller/market/installed/?installed={shop_id}", 302
        )

    async def webhooks(request: Request) -> Response:
        body = await request.body()
        try:
            await run_in_threadpool(receive, dict(request.headers), body)
        except WebhookVerificationError as error:
            return PlainTextResponse(f"refused: {error}", 400)
        return Response(status_code=204)

    return [
        Route("/install", install),
        Route("/oauth/callback", callback),
        Route("/webhooks", webhooks, methods=["POST"]),
    ]
