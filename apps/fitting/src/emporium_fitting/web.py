"""The fitting room's web process: install, webhooks, the seller's admin page, the buyer's block."""

import contextlib
import html
import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from emporium_sdk import (
    BlockContext,
    BlockContextError,
    frame_script,
    verify_block_context,
)
from emporium_sdk.starlette import app_routes
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from emporium_fitting import fit, i18n, passes
from emporium_fitting.config import Config
from emporium_fitting.face import Box
from emporium_fitting.photos import MAX_BYTES, PhotoError
from emporium_fitting.service import Fitting, Refused
from emporium_fitting.store import SHAPES

HERE = Path(__file__).resolve().parent
SWEEP_SECONDS = 15.0
# The block runs in a sandboxed frame (origin "null"): its fetches are cross-origin, and they
# carry no cookie. Every answer to the block says so; what authorizes it is the signed context.
CORS = {"access-control-allow-origin": "*", "cache-control": "no-store"}
STATIC = {"admin.js", "block.js", "fitting.css"}


def build(config: Config | None = None) -> Starlette:
    app_state = Fitting(config or Config())
    cfg = app_state.config
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    platform_origin = _origin(cfg.platform_url)
    frame_headers = {
        "content-security-policy": f"frame-ancestors {platform_origin}",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
    }

    def context_of(token: str) -> BlockContext:
        return verify_block_context(token, client_id=cfg.client_id,
                                    client_secret=cfg.client_secret, issuer=platform_origin)  # fmt: skip

    def refusal(code: str, lang: str, status: int = 422) -> JSONResponse:
        return JSONResponse({"error": code, "message": i18n.table(lang).get(code, code)},
                            status, headers=CORS)  # fmt: skip

    # --- install, webhooks, health ---------------------------------------------------------

    async def home(request: Request) -> Response:
        return HTMLResponse(
            "<!doctype html><title>Fitting room</title><h1>Fitting room</h1>"
            '<p><a href="/install">Install on your shop</a></p>'
        )

    async def health(request: Request) -> Response:
        sessions, results = app_state.rooms.counts()
        return JSONResponse({"ok": True, "sessions": sessions, "results": results})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "emporium-frame.js":
            return Response(frame_script(), media_type="text/javascript")
        if name in STATIC:
            return FileResponse(HERE / "static" / name)
        return PlainTextResponse("not found", 404)

    # --- the seller's admin page -----------------------------------------------------------

    def seller_of(request: Request, form_pass: str | None = None) -> str:
        params = request.query_params
        if form_pass or params.get("pass"):
            return passes.check(form_pass or params["pass"], cfg.client_secret)
        return passes.open_session(params.get("session", ""), cfg.client_id, cfg.client_secret)

    async def admin(request: Request) -> Response:
        lang = i18n.pick(request.query_params.get("locale") or request.query_params.get("lang"))
        t = i18n.table(lang)
        try:
            shop_id = seller_of(request)
        except passes.NotAllowed:
            return HTMLResponse(f"<p>{html.escape(t['refused'])}</p>", 401)
        shop = app_state.store.shop(shop_id)
        if shop is None or not shop.installed:
            return HTMLResponse(f"<p>{html.escape(t['unknown_shop'])}</p>", 403)
        items = app_state.items(shop_id)
        models = app_state.store.models_of_shop(shop_id)
        context = {
            "t": t, "lang": lang, "shop": shop, "items": items, "shapes": SHAPES,
            "pass": passes.issue(shop_id, cfg.client_secret), "platform": platform_origin,
            "models": [m.as_json() for m in models],
            "notice": request.query_params.get("notice", ""),
            "categories": sorted({info.category for _, info in items}),
        }  # fmt: skip
        return templates.TemplateResponse(request, "admin.html", context)

    async def add_model(request: Request) -> Response:
        form = await request.form(max_part_size=MAX_BYTES)
        lang = i18n.pick(str(form.get("lang", "")))
        try:
            shop_id = seller_of(request, str(form.get("pass", "")))
        except passes.NotAllowed as error:
            return PlainTextResponse(str(error), 401)
        upload = form.get("photo")
        target = str(form.get("target", ""))
        item_id, category = (target[5:], None) if target.startswith("item:") else (
            None, target[9:] if target.startswith("category:") else None)  # fmt: skip
        notice = "model_saved"
        try:
            photo = (
                await upload.read() if upload is not None and not isinstance(upload, str) else b""
            )
            app_state.add_model(
                shop_id, item_id=item_id, category=category, name=str(form.get("name", "")),
                height_cm=int(str(form.get("height_cm", "0")) or 0),
                weight_kg=float(str(form.get("weight_kg", "0")) or 0),
                shape=str(form.get("shape", "")), size=str(form.get("size", "")), photo=photo,
            )  # fmt: skip
        except (Refused, ValueError) as error:
            notice = error.code if isinstance(error, Refused) else "bad_model"
        return RedirectResponse(f"/app?pass={form.get('pass')}&lang={lang}&notice={notice}", 303)

    async def mark_face(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            shop_id = seller_of(request, str(body.get("pass", "")))
            box = Box(*[float(v) for v in body["box"]])
            points = np.array(body["points"], dtype=np.float32).reshape(5, 2)
        except passes.NotAllowed as error:
            return JSONResponse({"error": str(error)}, 401)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "give box [x, y, w, h] and five points"}, 422)
        try:
            model = app_state.mark_face(shop_id, request.path_params["model_id"], box, points)
        except (Refused, PhotoError) as error:
            return JSONResponse({"error": error.code}, 422)
        return JSONResponse(model.as_json())

    async def delete_model(request: Request) -> Response:
        form = await request.form()
        try:
            shop_id = seller_of(request, str(form.get("pass", "")))
        except passes.NotAllowed as error:
            return PlainTextResponse(str(error), 401)
        app_state.store.delete_model(shop_id, request.path_params["model_id"])
        return RedirectResponse(f"/app?pass={form.get('pass')}&lang={form.get('lang', 'en')}", 303)

    async def model_photo(request: Request) -> Response:
        model = app_state.store.model(request.path_params["model_id"])
        if model is None:
            return PlainTextResponse("not found", 404)
        return FileResponse(app_state.store.photo_path(model.id), media_type="image/jpeg",
                            headers={"cache-control": "public, max-age=3600"})  # fmt: skip

    # --- the buyer's block -----------------------------------------------------------------

    async def block(request: Request) -> Response:
        token = request.query_params.get("context", "")
        try:
            context = context_of(token)
        except BlockContextError:
            lang = i18n.pick(request.query_params.get("locale"))
            return HTMLResponse(i18n.table(lang)["bad_context"], 401, headers=frame_headers)
        lang = i18n.pick(context.locale)
        page = {"t": i18n.table(lang), "lang": lang, "context": token,
                "platform": platform_origin, "shapes": SHAPES}  # fmt: skip
        return templates.TemplateResponse(request, "block.html", page, headers=frame_headers)

    async def block_models(request: Request) -> Response:
        form = await request.form()
        try:
            context = context_of(str(form.get("context", "")))
        except BlockContextError:
            return refusal("bad_context", "en", 401)
        lang = i18n.pick(context.locale)
        try:
            build = _build(form.get("height"), form.get("weight"), form.get("shape"))
        except ValueError:
            return refusal("bad_build", lang)
        models = fit.rank(app_state.models_for(context.shop_id, context.item_id), build)
        sizes = app_state.item(context.shop_id, context.item_id).sizes
        listed = []
        for model in models:
            size, reason = app_state.size_for(model, build, sizes, lang)
            listed.append({**model.as_json(), "photo": f"/models/{model.id}.jpg",
                           "suggested_size": size, "reason": reason})  # fmt: skip
        return JSONResponse({"models": listed}, headers=CORS)

    async def block_photo(request: Request) -> Response:
        """The buyer's photo, as the raw request body: read into memory, never spooled."""
        params = request.query_params
        try:
            context = context_of(params.get("context", ""))
        except BlockContextError:
            return refusal("bad_context", "en", 401)
        lang = i18n.pick(context.locale)
        try:
            build = _build(params.get("height"), params.get("weight"), params.get("shape"))
        except ValueError:
            return refusal("bad_build", lang)
        if int(request.headers.get("content-length") or 0) > MAX_BYTES:
            return refusal("too_large", lang, 413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BYTES:
                return refusal("too_large", lang, 413)
        try:
            session = app_state.open_room(context.shop_id, bytes(body))
            tried = app_state.try_on(session, context.shop_id, context.item_id,
                                     params.get("model", ""), build, lang)  # fmt: skip
        except PhotoError as error:
            return refusal(error.code, lang)
        except Refused as error:
            return refusal(error.code, lang, error.status)
        finally:
            body.clear()
        return _tried(tried)

    async def block_try(request: Request) -> Response:
        """Another model with the photo already given (the session's token names it)."""
        form = await request.form()
        try:
            context = context_of(str(form.get("context", "")))
        except BlockContextError:
            return refusal("bad_context", "en", 401)
        lang = i18n.pick(context.locale)
        try:
            build = _build(form.get("height"), form.get("weight"), form.get("shape"))
            tried = app_state.try_on(str(form.get("session", "")), context.shop_id,
                                     context.item_id, str(form.get("model", "")), build, lang)  # fmt: skip
        except ValueError:
            return refusal("bad_build", lang)
        except Refused as error:
            return refusal(error.code, lang, error.status)
        return _tried(tried)

    async def block_forget(request: Request) -> Response:
        form = await request.form()
        app_state.rooms.close(str(form.get("session", "")))
        return JSONResponse({"deleted": True}, headers=CORS)

    async def preflight(request: Request) -> Response:
        return Response(status_code=204, headers={
            **CORS, "access-control-allow-methods": "POST",
            "access-control-allow-headers": "content-type", "access-control-max-age": "600",
        })  # fmt: skip

    async def result(request: Request) -> Response:
        found = app_state.rooms.result(request.path_params["token"])
        if found is None:
            return PlainTextResponse("gone", 404, headers={"cache-control": "no-store"})
        return Response(found, media_type="image/jpeg",
                        headers={"cache-control": "private, no-store",
                                 "referrer-policy": "no-referrer"})  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()

        def sweep() -> None:
            while not stop.wait(SWEEP_SECONDS):
                app_state.rooms.sweep()

        threading.Thread(target=sweep, name="sweep", daemon=True).start()
        yield
        stop.set()

    installing = app_routes(
        start_install=app_state.installer.start,
        finish_install=lambda query: app_state.finish_install(query).shop_id,
        receive=app_state.receive,
        platform_url=cfg.platform_url,
    )
    app = Starlette(
        routes=[
            Route("/", home),
            *installing,
            Route("/healthz", health),
            Route("/static/{name}", static),
            Route("/app", admin),
            Route("/app/models", add_model, methods=["POST"]),
            Route("/app/models/{model_id}/face", mark_face, methods=["POST"]),
            Route("/app/models/{model_id}/delete", delete_model, methods=["POST"]),
            Route("/models/{model_id}.jpg", model_photo),
            Route("/block", block),
            Route("/block/models", block_models, methods=["POST"]),
            Route("/block/photo", block_photo, methods=["POST"]),
            Route("/block/photo", preflight, methods=["OPTIONS"]),
            Route("/block/try", block_try, methods=["POST"]),
            Route("/block/forget", block_forget, methods=["POST"]),
            Route("/result/{token}", result),
        ],
        lifespan=lifespan,
    )
    app.state.fitting = app_state
    return app


def _tried(tried: "object") -> JSONResponse:
    from emporium_fitting.service import Tried

    assert isinstance(tried, Tried)
    return JSONResponse({
        "session": tried.session, "result": f"/result/{tried.result}",
        "original": f"/models/{tried.model.id}.jpg", "model": tried.model.id,
        "size": tried.size, "reason": tried.reason,
    }, headers=CORS)  # fmt: skip


def _build(height: object, weight: object, shape: object) -> fit.Build:
    def number(value: object) -> float | None:
        text = str(value or "").strip()
        return float(text) if text else None

    chosen = str(shape or "").strip() or None
    if chosen is not None and chosen not in SHAPES:
        raise ValueError("shape")
    build = fit.Build(number(height), number(weight), chosen)
    build.check()
    return build


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
