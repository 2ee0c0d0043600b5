"""The TV app's web process: the one page, its JSON, pairing, ordering and webhooks (thin routes)."""

import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from emporium_sdk import ApiConnectionError, ApiError, EmporiumError, WebhookVerificationError
from emporium_sdk.models import OrderLineIn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from emporium_tv import i18n
from emporium_tv.config import Config
from emporium_tv.mall import Mall, NotSignedIn, SoldOut

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "tv"
MAX_QUANTITY = 99

Handler = Callable[[Request], Awaitable[Response]]


def tv_id(request: Request) -> str:
    """The TV's id: a random cookie set by the page (a TV browser keeps its cookies). A call
    without it gets a throwaway id: nothing to remember, nothing to leak."""
    return request.cookies.get(COOKIE) or secrets.token_urlsafe(18)


def lang_of(request: Request) -> str:
    return i18n.pick(request.headers.get("accept-language"), request.query_params.get("lang"))


def error(code: str, status: int, message: str = "") -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def guarded(view: Callable[[Request], Any]) -> Handler:
    """Run a blocking view in the thread pool and turn the platform's failures into JSON the
    page shows plainly (unreachable: it retries; signed out: it offers the sign-in)."""

    async def run(request: Request) -> Response:
        try:
            result = await run_in_threadpool(view, request)
        except NotSignedIn:
            return error("signed_out", 401)
        except SoldOut as refusal:
            return error("sold_out", 409, str(refusal))
        except ApiConnectionError:
            return error("unreachable", 503)
        except ApiError as refusal:
            if refusal.status >= 500 or refusal.status == 429:
                return error("unreachable", 503)
            return error(refusal.code, refusal.status, refusal.message)
        except EmporiumError as failure:
            log.warning("platform refused: %s", failure)
            return error("unreachable", 503)
        return result if isinstance(result, Response) else JSONResponse(result)

    return run


def build(config: Config) -> Starlette:
    mall = Mall(config)
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    async def page(request: Request) -> Response:
        lang = lang_of(request)
        words = i18n.table(lang)
        response = templates.TemplateResponse(request, "tv.html", {
            "lang": lang, "words": words, "attract_seconds": config.attract_seconds,
        })  # fmt: skip
        if COOKIE not in request.cookies:
            response.set_cookie(COOKIE, secrets.token_urlsafe(18), max_age=10 * 365 * 86400,
                                httponly=True, samesite="lax")  # fmt: skip
        return response

    def home(request: Request) -> dict[str, Any]:
        lang = lang_of(request)
        signed_in = mall.tokens.load(tv_id(request)) is not None
        return {"rows": mall.home(tv_id(request), lang), "signed_in": signed_in,
                "notice": mall.store.take_notice(tv_id(request))}  # fmt: skip

    def categories(request: Request) -> dict[str, Any]:
        return {"categories": mall.categories(lang_of(request))}

    def category(request: Request) -> dict[str, Any]:
        return {"items": mall.category(request.path_params["slug"])}

    def search(request: Request) -> dict[str, Any]:
        words = request.query_params.get("q", "").strip()[:40]
        return {"items": mall.search(words) if words else []}

    def item(request: Request) -> dict[str, Any]:
        return {"item": mall.item(tv_id(request), request.path_params["item_id"])}

    def pairing(request: Request) -> dict[str, Any]:
        return vars(mall.pairing(tv_id(request)))

    def sign_out(request: Request) -> dict[str, Any]:
        mall.sign_out(tv_id(request))
        return {"state": "signed_out"}

    def checkout(request: Request) -> dict[str, Any]:
        return mall.checkout(tv_id(request))

    async def order(request: Request) -> Response:
        try:
            body = await request.json()
            quantity = int(body["quantity"])
            line = OrderLineIn(item_id=str(body["item_id"]), sku_id=int(body["sku_id"]),
                               quantity=quantity)  # fmt: skip
            address_id, key = int(body["address_id"]), str(body["key"])
        except (ValueError, KeyError, TypeError):
            return error("bad_request", 400, "item_id, sku_id, quantity, address_id and key")
        if not 1 <= quantity <= MAX_QUANTITY or not 8 <= len(key) <= 64:
            return error("bad_request", 400, "quantity 1..99 and a key of 8..64 characters")
        return await guarded(lambda r: mall.order(tv_id(r), line, address_id, key))(request)

    def order_status(request: Request) -> dict[str, Any]:
        return {"status": mall.order_status(tv_id(request), request.path_params["order_id"])}

    async def webhooks(request: Request) -> Response:
        body = await request.body()
        try:
            await run_in_threadpool(mall.receive, dict(request.headers.items()), body)
        except WebhookVerificationError as refusal:
            log.warning("refused a webhook: %s", refusal)
            return PlainTextResponse("refused", status_code=400)
        return Response(status_code=204)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/", page),
        Route("/healthz", healthz),
        Route("/data/home", guarded(home)),
        Route("/data/categories", guarded(categories)),
        Route("/data/categories/{slug}", guarded(category)),
        Route("/data/search", guarded(search)),
        Route("/data/items/{item_id}", guarded(item)),
        Route("/data/pairing", guarded(pairing), methods=["POST"]),
        Route("/data/sign-out", guarded(sign_out), methods=["POST"]),
        Route("/data/checkout", guarded(checkout)),
        Route("/data/orders", order, methods=["POST"]),
        Route("/data/orders/{order_id}", guarded(order_status)),
        Route("/webhooks", webhooks, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[])
    app.state.mall = mall

    return app
