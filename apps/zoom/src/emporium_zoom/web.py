"""The zoom app's web process: install (OAuth), webhooks, the item-page viewer block, the seller's
embedded admin page, and the tiles (content-addressed, immutable)."""

import contextlib
import html
import logging
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from emporium_sdk import (
    EmporiumError,
    Event,
    Installer,
    JsonFileTokenStore,
    OAuthApp,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
    frame_script,
)
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

from emporium_zoom import admin, context, i18n
from emporium_zoom.config import Config
from emporium_zoom.ingest import Ingest
from emporium_zoom.store import Store
from emporium_zoom.work import Worker

log = logging.getLogger(__name__)
SCOPES = ["items:read", "shop:read"]
HERE = Path(__file__).resolve().parent
IMMUTABLE = "public, max-age=31536000, immutable"
TILE_PATH = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{64})(\.dzi|_files/\d{1,2}/\d{1,4}_\d{1,4}\.jpg)$")
NODE_ASSETS = {"openseadragon.min.js": "openseadragon/build/openseadragon/openseadragon.min.js"}
OWN_ASSETS = {"viewer.js", "viewer.css", "admin.js"}


class ZoomApp:
    """Everything one process holds: config, OAuth installer, store, tiling worker, ingestion."""

    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        oauth = OAuthApp(
            config.client_id, config.client_secret,
            base_url=config.platform_url, redirect_uri=config.redirect_uri,
        )  # fmt: skip
        self.installer = Installer(
            oauth, JsonFileTokenStore(config.data_dir / "tokens.json"),
            SqlitePendingStore(config.data_dir / "pending.sqlite3"), scopes=SCOPES,
        )  # fmt: skip
        self.store = Store(config.data_dir / "zoom.sqlite3")
        self.worker = Worker(
            self.store, config.tiles_dir, max_pixels=config.max_pixels,
            max_bytes=config.max_bytes, threads=config.workers,
        )  # fmt: skip
        self.ingest = Ingest(self.store, self.worker, self.installer.client, config.min_zoom_side)
        secrets = config.webhook_secrets.split()  # several while a secret is being rotated
        self.verifier = WebhookVerifier(secrets) if secrets else None
        self.stop = threading.Event()

    @property
    def platform_origin(self) -> str:
        parts = urlsplit(self.config.platform_url)
        return f"{parts.scheme}://{parts.netloc}"

    def finish_install(self, query: dict[str, str]) -> str:
        installed = self.installer.finish(query)
        self.store.save_shop(installed.shop_id, installed.shop.name)
        self.ingest.refresh_items(installed.shop_id)  # the pictures are queued; tiling follows
        return installed.shop_id

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        self.ingest.handle(event)
        return event

    def catch_up_forever(self) -> None:
        """The feed, beside webhooks: at start (after downtime) and every ZOOM_FEED_SECONDS."""
        while not self.stop.is_set():
            self.ingest.catch_up_all()
            self.stop.wait(self.config.feed_interval)


def build(config: Config | None = None, *, background: bool = True) -> Starlette:
    state = ZoomApp(config or Config())
    cfg = state.config
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    framed_by = {"content-security-policy": f"frame-ancestors {state.platform_origin}"}

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(
            request, "home.html", {"shops": state.store.shops(), "platform": cfg.platform_url}
        )

    async def install(request: Request) -> Response:
        return RedirectResponse(state.installer.start(), status_code=302)

    async def callback(request: Request) -> Response:
        try:
            shop_id = state.finish_install(dict(request.query_params))
        except EmporiumError as error:
            return HTMLResponse(
                f"<h1>Installation failed</h1><p>{html.escape(str(error))}</p>", 400
            )
        return RedirectResponse(
            f"{cfg.platform_url}/seller/market/installed/?installed={shop_id}", 302
        )

    async def webhooks(request: Request) -> Response:
        try:
            state.receive(dict(request.headers), await request.body())
        except WebhookVerificationError as error:
            return PlainTextResponse(f"refused: {error}", 400)
        return Response(status_code=204)

    async def block(request: Request) -> Response:
        """The buyer's viewer, framed by the item page with a signed context."""
        lang = i18n.pick(request.query_params.get("locale"))
        try:
            viewing = context.open_block(
                request.query_params.get("context", ""), client_id=cfg.client_id,
                client_secret=cfg.client_secret, platform=state.platform_origin,
            )  # fmt: skip
        except context.NotAllowed as error:
            words = i18n.table(lang)
            return HTMLResponse(
                f"<!doctype html><meta charset=utf-8><p>{html.escape(words['refused'])}</p>"
                f"<p><small>{html.escape(str(error))}</small></p>",
                401, headers=framed_by,
            )  # fmt: skip
        lang = i18n.pick(viewing.locale)
        sources = admin.viewer_sources(
            state.store, viewing.shop_id, viewing.item_id, f"{cfg.public_url}/tiles",
            cfg.min_zoom_side,
        )  # fmt: skip
        page = {"t": i18n.table(lang), "lang": lang, "sources": sources,
                "platform": viewing.platform}  # fmt: skip
        return templates.TemplateResponse(
            request, "viewer.html", page, headers={**framed_by, "cache-control": "no-store"}
        )

    async def embedded(request: Request) -> Response:
        """The seller's admin page, embedded in the seller center."""
        params = request.query_params
        lang = i18n.pick(params.get("locale") or params.get("lang"))
        try:
            if params.get("pass"):  # our own pass: reloading after a re-tile
                shop_id = context.check_pass(params["pass"], cfg.client_secret)
            else:
                shop_id = context.open_session(
                    params.get("session", ""), client_id=cfg.client_id,
                    client_secret=cfg.client_secret,
                )  # fmt: skip
        except context.NotAllowed as error:
            return HTMLResponse(
                f"<!doctype html><meta charset=utf-8><p>{html.escape(i18n.table(lang)['refused'])}"
                f"</p><p><small>{html.escape(str(error))}</small></p>",
                401,
            )
        page = _admin_page(state, shop_id, lang)
        page["pass"] = context.issue_pass(shop_id, cfg.client_secret)
        page["platform"] = state.platform_origin
        return templates.TemplateResponse(request, "admin.html", page, headers=framed_by)

    async def status(request: Request) -> Response:
        try:
            shop_id = context.check_pass(request.headers.get("x-pass", ""), cfg.client_secret)
        except context.NotAllowed as error:
            return JSONResponse({"error": str(error)}, 401)
        return JSONResponse(admin.progress(state.store, shop_id),
                            headers={"cache-control": "no-store"})  # fmt: skip

    async def retile(request: Request) -> Response:
        form = await request.form()
        try:
            shop_id = context.check_pass(str(form.get("pass", "")), cfg.client_secret)
        except context.NotAllowed as error:
            return JSONResponse({"error": str(error)}, 401)
        mine = {p.sha256 for _, p in state.store.shop_pictures(shop_id) if p.sha256}
        wanted = str(form.get("sha256") or "")
        if wanted and wanted not in mine:
            return JSONResponse({"error": "no picture of your shop has that hash"}, 404)
        queued = state.store.requeue([wanted] if wanted else sorted(mine))
        state.worker.wake.set()
        return JSONResponse({"queued": queued})

    async def tiles(request: Request) -> Response:
        found = TILE_PATH.match(request.path_params["path"])
        path = cfg.tiles_dir / request.path_params["path"] if found else None
        if path is None or not path.is_file():
            return PlainTextResponse("not found", 404, headers={"access-control-allow-origin": "*"})
        kind = "application/xml" if path.suffix == ".dzi" else "image/jpeg"
        # Named by the original's hash: the content of a name never changes. Any origin may read
        # them, the viewer's included (a sandboxed frame's origin is "null").
        return FileResponse(path, media_type=kind, headers={
            "cache-control": IMMUTABLE, "access-control-allow-origin": "*",
        })  # fmt: skip

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name in NODE_ASSETS:
            return FileResponse(cfg.assets_dir / NODE_ASSETS[name],
                                headers={"cache-control": "public, max-age=86400"})  # fmt: skip
        if name in OWN_ASSETS:
            return FileResponse(HERE / "static" / name)
        if name == "emporium-frame.js":  # the SDK's: sizes the frame, answers the platform's asks
            return Response(frame_script(), media_type="text/javascript")
        return PlainTextResponse("not found", 404)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "shops": len(state.store.shops())})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if background:
            state.stop.clear()
            state.worker.start()
            threading.Thread(target=state.catch_up_forever, name="feed", daemon=True).start()
        yield
        state.stop.set()
        state.worker.shutdown()

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/install", install),
            Route("/oauth/callback", callback),
            Route("/webhooks", webhooks, methods=["POST"]),
            Route("/block", block),
            Route("/app", embedded),
            Route("/admin/status", status),
            Route("/admin/retile", retile, methods=["POST"]),
            Route("/tiles/{path:path}", tiles),
            Route("/assets/{name}", asset),
            Route("/healthz", health),
        ],
        lifespan=lifespan,
    )
    app.state.zoom = state
    return app


def _admin_page(state: ZoomApp, shop_id: str, lang: str) -> dict[str, object]:
    rows = admin.shop_rows(state.store, shop_id, state.config.min_zoom_side)
    progress = admin.progress(state.store, shop_id)
    return {
        "t": i18n.table(lang),
        "lang": lang,
        "known": state.store.shop_name(shop_id) is not None,
        "shop_name": state.store.shop_name(shop_id) or "",
        "rows": rows,
        "zoomable": sum(1 for row in rows if row.zoomable),
        "progress": progress,
        "disk": admin.human_bytes(progress["disk_bytes"]),
    }
