"""The decoration app's web process: install (OAuth), webhooks, and the embedded editor's routes.

Routes only: the album, the gallery, descriptions and design calls live in their own modules.
The embedded page sends the view pass (`x-view-pass`) with every JSON call; the app acts for
the pass's shop with that shop's token, through the SDK.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from emporium_sdk import (
    ApiError,
    Client,
    EmporiumError,
    Event,
    Installer,
    OAuthApp,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
    frame_script,
    verify_session_token,
)
from emporium_sdk.errors import SessionTokenError
from emporium_sdk.models import ItemOut, SectionIn
from emporium_sdk.starlette import app_routes
from emporium_sdk.viewpass import ViewPassError, check_pass, issue_pass
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from emporium_decor import album, descriptions, gallery, i18n
from emporium_decor.config import Config
from emporium_decor.store import Shop, Store

log = logging.getLogger(__name__)
SCOPES = ["shop:read", "items:read", "items:write", "design:read", "design:write",
          "pictures:read", "pictures:write"]  # fmt: skip
TOPICS = ["item.created", "item.updated", "item.deleted", "shop.design_published",
          "app.uninstalled", "app.erasure_requested"]  # fmt: skip
PURPOSE = "decor"
HERE = Path(__file__).resolve().parent
STATIC = {"decor.js", "decor.css"}


class DecorApp:
    """Everything one process holds: config, OAuth installer, the store and description jobs."""

    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        oauth = OAuthApp(
            config.client_id, config.client_secret,
            base_url=config.platform_url, redirect_uri=config.redirect_uri,
        )  # fmt: skip
        self.store = Store(config.database)
        from emporium_sdk import JsonFileTokenStore

        self.installer = Installer(
            oauth, JsonFileTokenStore(config.data_dir / "tokens.json"),
            SqlitePendingStore(config.data_dir / "pending.sqlite3"), scopes=SCOPES,
        )  # fmt: skip
        self.jobs = descriptions.Jobs(self.store)
        secrets = config.webhook_secrets.split()
        self.verifier = WebhookVerifier(secrets) if secrets else None

    def client(self, shop_id: str) -> Client:
        return self.installer.client(shop_id)

    # --- install --------------------------------------------------------------------------

    def finish_install(self, query: dict[str, str]) -> Shop:
        installed = self.installer.finish(query)
        with self.client(installed.shop_id) as client:
            plan = plan_of(client)
            count = album.import_shop(client, self.store, installed.shop_id)
        shop = Shop(
            installed.shop_id,
            installed.shop.name,
            plan,
            True,
            datetime.now().astimezone().isoformat(),
        )
        self.store.save_shop(shop)
        log.info("installed on %s: %d pictures in the album", shop.name, count)
        self.analyse_later(shop.shop_id)
        return shop

    def analyse_later(self, shop_id: str) -> None:
        """Colours and hashes need every thumbnail: fetched beside the web process."""
        threading.Thread(
            target=album.analyse_missing, args=(self.store, shop_id), daemon=True
        ).start()

    # --- webhooks -------------------------------------------------------------------------

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        self.handle(event.type, event.shop_id, event.data)
        return event

    def handle(self, kind: str, shop_id: str | None, data: dict[str, Any]) -> None:
        """Idempotent by nature: each event sets state, none adds to it."""
        if not shop_id or self.store.shop(shop_id) is None:
            return
        if kind in ("item.created", "item.updated"):
            album.refresh_item(self.store, shop_id, data.get("item"), None)
        elif kind == "item.deleted":
            album.refresh_item(self.store, shop_id, None, str(data.get("item_id") or ""))
        elif kind == "shop.design_published":
            # The editor reads versions fresh each time; the log shows publishes made elsewhere.
            log.info(
                "shop %s published design version %s",
                shop_id,
                data.get("version", {}).get("number"),
            )
        elif kind == "app.uninstalled":
            self.store.set_installed(shop_id, False)
            self.installer.tokens.delete(shop_id)
        elif kind == "app.erasure_requested":
            self.store.forget(shop_id)
            self.installer.tokens.delete(shop_id)

    def resume_jobs(self) -> None:
        """Jobs a stopped process left half-done are finished (or their undo is)."""
        for job_id, shop_id in self.jobs.unfinished():
            status = self.jobs.status(job_id)
            with self.client(shop_id) as client:
                if status and status.state == "undoing":
                    self.jobs.undo(client, job_id)
                else:
                    self.jobs.run(client, job_id)


def plan_of(client: Client) -> str:
    try:
        plan = client.billing.get_subscription().plan
    except EmporiumError:
        return "free"  # installed outside the market (a developer's sandbox)
    return "free" if plan.strip().lower() == "free" else "pro"


def shop_items(client: Client) -> list[ItemOut]:
    return list(client.items.list(limit=100, status="on_sale"))


Handler = Callable[[str, dict[str, Any]], Any]


def build(config: Config | None = None, *, resume: bool = True) -> Starlette:
    state = DecorApp(config or Config())
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    secret = state.config.client_secret

    def api(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """A JSON route of the embedded page: the pass names the shop; errors become JSON."""

        async def endpoint(request: Request) -> Response:
            try:
                shop_id = check_pass(
                    request.headers.get("x-view-pass", ""), secret, purpose=PURPOSE
                )
            except ViewPassError as error:
                return JSONResponse({"error": str(error)}, 401)
            data: dict[str, Any] = dict(request.query_params)
            data.update(request.path_params)
            if request.method in ("POST", "PUT"):
                if request.headers.get("content-type", "").startswith("multipart/"):
                    form = await request.form(max_part_size=state.config.max_upload_bytes + 1024)
                    for name, value in form.multi_items():
                        data[name] = await value.read() if isinstance(value, UploadFile) else value
                    files = form.get("image")
                    data["filename"] = files.filename if isinstance(files, UploadFile) else ""
                else:
                    try:
                        body = await request.json() if await request.body() else {}
                    except ValueError:
                        return JSONResponse({"error": "the body is not JSON"}, 400)
                    if not isinstance(body, dict):
                        return JSONResponse({"error": "the body is a JSON object"}, 400)
                    data.update(body)
            try:
                result = await run_in_threadpool(handler, shop_id, data)
            except (album.PictureRefused, descriptions.BadOptions, ValueError, KeyError) as error:
                return JSONResponse({"error": str(error).strip("'\"")}, 422)
            except ApiError as error:
                return JSONResponse(
                    {"error": error.message, "code": error.code, "field": error.field},
                    error.status if 400 <= error.status < 500 else 502,
                )
            except EmporiumError as error:
                return JSONResponse({"error": str(error)}, 502)
            if isinstance(result, Response):
                return result
            return JSONResponse(result, headers={"cache-control": "no-store"})

        return endpoint

    def shop_of(shop_id: str) -> Shop:
        shop = state.store.shop(shop_id)
        if shop is None or not shop.installed:
            raise ValueError("this shop has not installed the app")
        return shop

    # --- album --------------------------------------------------------------------------

    def album_list(shop_id: str, data: dict[str, Any]) -> Any:
        query = album.Query(text=data.get("q", ""), tag=data.get("tag", ""),
                            item=data.get("item", ""), colour=data.get("colour", ""),
                            folder=data.get("folder"))  # fmt: skip
        pictures = album.find(state.store, shop_id, query)
        folders = sorted({p.folder for p in state.store.pictures(shop_id)})
        return {"pictures": [p.public() for p in pictures], "folders": folders,
                "colours": list(album.PALETTE)}  # fmt: skip

    def album_upload(shop_id: str, data: dict[str, Any]) -> Any:
        shop_of(shop_id)
        image = data.get("image")
        if not isinstance(image, bytes):
            raise ValueError("image: send the picture as the `image` file")
        tags = str(data.get("tags") or "").split(",")
        with state.client(shop_id) as client:
            picture = album.upload(
                client, state.store, shop_id, image, name=str(data.get("name") or data["filename"]),
                folder=str(data.get("folder") or ""), tags=tags,
                fingerprint=str(data.get("fingerprint") or ""),
                max_bytes=state.config.max_upload_bytes,
            )  # fmt: skip
        return picture.public()

    def album_uploaded(shop_id: str, data: dict[str, Any]) -> Any:
        fingerprints = [str(f) for f in data.get("fingerprints", [])][:1000]
        return {"uploaded": state.store.uploaded(shop_id, fingerprints)}

    def album_duplicates(shop_id: str, data: dict[str, Any]) -> Any:
        groups = album.duplicates(state.store, shop_id)
        return {"groups": [[p.public() for p in g] for g in groups]}

    def album_move(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            moved = album.move(client, state.store, shop_id, list(data["ids"]), str(data["folder"]))
        return {"moved": moved}

    def album_tag(shop_id: str, data: dict[str, Any]) -> Any:
        tags = album.clean_tags(str(data.get("tags", "")).split(","))
        for album_id in data["ids"]:
            picture = state.store.picture(shop_id, album_id)
            if picture:
                merged = album.clean_tags([*picture.tags, *tags])
                state.store.update_picture(shop_id, album_id, tags=merged)
        return {"tags": tags}

    def album_delete(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            result = album.delete(client, state.store, shop_id, list(data["ids"]),
                                  confirmed=bool(data.get("confirmed")))  # fmt: skip
        return result.__dict__

    # --- templates and design ---------------------------------------------------------------

    def template_list(shop_id: str, data: dict[str, Any]) -> Any:
        shop = shop_of(shop_id)
        lang = i18n.pick(data.get("lang"))
        open_ = {t.id for t in gallery.available(shop.plan)}
        with state.client(shop_id) as client:
            items = shop_items(client)
        categories = sorted({i.category for i in items})
        return {"templates": [gallery.card(t, lang, t.id not in open_) for t in gallery.TEMPLATES],
                "categories": categories, "plan": shop.plan}  # fmt: skip

    def template_fill(shop_id: str, data: dict[str, Any]) -> Any:
        shop = shop_of(shop_id)
        template = gallery.BY_ID.get(str(data["template"]))
        if template is None:
            raise ValueError("no such template")
        if template not in gallery.available(shop.plan):
            return JSONResponse({"error": "this template needs the paid plan"}, 402)
        with state.client(shop_id) as client:
            facts = gallery.ShopFacts(
                name=shop.name, items=shop_items(client), pictures=state.store.pictures(shop_id),
                category=str(data.get("category") or ""), category_names=category_names(client),
            )  # fmt: skip
            sections = gallery.fill(template, facts, i18n.pick(data.get("lang")))
            draft = client.design.save_draft(
                sections=[SectionIn.model_validate(s) for s in sections]
            )
        return draft.model_dump(mode="json")

    def category_names(client: Client) -> dict[str, str]:
        names: dict[str, str] = {}
        stack = list(client.categories.list())
        while stack:
            category = stack.pop()
            names[category.slug] = category.name
            stack += category.children
        return names

    def draft_get(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            return client.design.get_draft().model_dump(mode="json")

    def draft_put(shop_id: str, data: dict[str, Any]) -> Any:
        sections = [SectionIn.model_validate(s) for s in data.get("sections", [])]
        with state.client(shop_id) as client:
            return client.design.save_draft(sections=sections).model_dump(mode="json")

    def preview(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            return client.design.preview().model_dump(mode="json")

    def publish(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            return client.design.publish(idempotency_key=data.get("key") or None).model_dump(
                mode="json"
            )

    def schedule(shop_id: str, data: dict[str, Any]) -> Any:
        starts = datetime.fromisoformat(str(data["starts_at"]))
        ends = datetime.fromisoformat(str(data["ends_at"])) if data.get("ends_at") else None
        with state.client(shop_id) as client:
            return client.design.schedule(starts_at=starts, ends_at=ends).model_dump(mode="json")

    def versions(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            rows = list(client.design.list_versions(limit=20))
            waiting = [
                s for s in client.design.list_schedules(limit=10) if s.status in ("pending", "live")
            ]
        return {
            "versions": [{"id": v.id, "number": v.number, "source": v.source, "live": v.live,
                          "published_at": v.published_at.isoformat(),
                          "sections": len(v.sections)} for v in rows],
            "schedules": [s.model_dump(mode="json") for s in waiting],
        }  # fmt: skip

    def rollback(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            return client.design.rollback(str(data["version_id"])).model_dump(mode="json")

    def items(shop_id: str, data: dict[str, Any]) -> Any:
        with state.client(shop_id) as client:
            rows = shop_items(client)
        return {"items": [{"id": i.id, "title": i.title, "category": i.category,
                           "thumbnail_url": (i.images[0].urls.get("240", "") if i.images else "")}
                          for i in rows]}  # fmt: skip

    # --- descriptions -----------------------------------------------------------------------

    def served(shop_id: str) -> tuple[str, ...]:
        """Addresses a header picture may have: the album's own pictures."""
        return tuple({p.url for p in state.store.pictures(shop_id)})

    def description_list(shop_id: str, data: dict[str, Any]) -> Any:
        lang = i18n.pick(data.get("lang"))
        return {"templates": [{"id": t.id, "name": t.name.get(lang, t.name["en"]),
                               "blocks": list(t.blocks)} for t in descriptions.TEMPLATES],
                "jobs": state.jobs.recent(shop_id)}  # fmt: skip

    def request_of(
        shop_id: str, data: dict[str, Any]
    ) -> tuple[descriptions.DescriptionTemplate, descriptions.Options]:
        template = descriptions.BY_ID.get(str(data.get("template")))
        if template is None:
            raise descriptions.BadOptions("template: choose a description template")
        options = descriptions.Options.parse(
            dict(data.get("options") or {}), served(shop_id) or ("\0",)
        )
        return template, options

    def dry_run(shop_id: str, data: dict[str, Any]) -> Any:
        template, options = request_of(shop_id, data)
        with state.client(shop_id) as client:
            every = shop_items(client)
            item = client.items.get(str(data["item_id"]))
        after = descriptions.render(template, item, state.jobs.base_of(shop_id, item), options,
                                    descriptions.related_for(item, every))  # fmt: skip
        return {"item": item.title, "before": item.description_html, "after": after,
                "diff": descriptions.diff(item.description_html, after)}  # fmt: skip

    def apply(shop_id: str, data: dict[str, Any]) -> Any:
        template, options = request_of(shop_id, data)
        with state.client(shop_id) as client:
            every = shop_items(client)
        chosen = descriptions.choose(
            every, list(data.get("item_ids") or []), str(data.get("category") or "")
        )
        if not chosen:
            raise descriptions.BadOptions("items: choose items or a category that has items")
        job_id = state.jobs.plan(shop_id, template, options, chosen, every)

        def work() -> None:
            with state.client(shop_id) as client:
                state.jobs.run(client, job_id)

        state.jobs.start(work, job_id)
        return {"job_id": job_id, "total": len(chosen)}

    def job_status(shop_id: str, data: dict[str, Any]) -> Any:
        job_id = str(data["job_id"])
        status = state.jobs.status(job_id)
        if status is None or state.jobs.owner(job_id) != shop_id:
            return JSONResponse({"error": "no such job"}, 404)
        return status.public()

    def job_undo(shop_id: str, data: dict[str, Any]) -> Any:
        job_id = str(data["job_id"])
        if state.jobs.owner(job_id) != shop_id:
            return JSONResponse({"error": "no such job"}, 404)
        state.jobs.wait(job_id)  # an apply still running finishes first, then all is undone
        state.jobs.mark_undoing(job_id)

        def work() -> None:
            with state.client(shop_id) as client:
                state.jobs.undo(client, job_id)

        state.jobs.start(work, job_id)
        return {"job_id": job_id}

    # --- pages --------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        shops = [s for s in state.store.shops() if s.installed]
        return templates.TemplateResponse(request, "home.html",
                                          {"shops": shops, "platform": state.config.platform_url})  # fmt: skip

    async def embedded(request: Request) -> Response:
        params = request.query_params
        lang = i18n.pick(
            params.get("lang") or params.get("locale") or request.headers.get("accept-language")
        )
        try:
            claims = verify_session_token(params.get("session", ""), client_id=state.config.client_id,
                                          client_secret=secret)  # fmt: skip
        except SessionTokenError as error:
            page = templates.get_template("refused.html").render(
                reason=str(error), t=i18n.table(lang), platform=state.config.platform_origin
            )
            return HTMLResponse(page, status_code=401)
        shop = state.store.shop(claims.shop_id)
        context = {
            "t": i18n.table(lang), "lang": lang, "shop": shop,
            "known": shop is not None and shop.installed,
            "pass": issue_pass(claims.shop_id, secret, purpose=PURPOSE),
            "colours": list(album.PALETTE), "platform": state.config.platform_origin,
        }  # fmt: skip
        return templates.TemplateResponse(request, "app.html", context)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name in STATIC:
            return FileResponse(HERE / "static" / name)
        if name == "emporium-frame.js":  # the SDK's: sizes the frame, answers the platform's asks
            return Response(frame_script(), media_type="text/javascript")
        return PlainTextResponse("not found", 404)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "shops": len(state.store.shops())})

    def route(path: str, handler: Handler, methods: list[str] | None = None) -> Route:
        return Route(path, api(handler), methods=methods or ["GET"])

    post = ["POST"]
    installing = app_routes(
        start_install=state.installer.start,
        finish_install=lambda query: state.finish_install(query).shop_id,
        receive=state.receive,
        platform_url=state.config.platform_url,
    )
    app = Starlette(
        routes=[
            Route("/", home),
            *installing,
            Route("/app", embedded),
            Route("/assets/{name}", asset),
            Route("/healthz", health),
            route("/api/album", album_list),
            route("/api/album/upload", album_upload, post),
            route("/api/album/uploaded", album_uploaded, post),
            route("/api/album/duplicates", album_duplicates),
            route("/api/album/move", album_move, post),
            route("/api/album/tag", album_tag, post),
            route("/api/album/delete", album_delete, post),
            route("/api/templates", template_list),
            route("/api/templates/fill", template_fill, post),
            route("/api/design/draft", draft_get),
            route("/api/design/draft", draft_put, ["PUT"]),
            route("/api/design/preview", preview, post),
            route("/api/design/publish", publish, post),
            route("/api/design/schedule", schedule, post),
            route("/api/design/versions", versions),
            route("/api/design/versions/{version_id}/rollback", rollback, post),
            route("/api/items", items),
            route("/api/descriptions", description_list),
            route("/api/descriptions/dry-run", dry_run, post),
            route("/api/descriptions/apply", apply, post),
            route("/api/descriptions/jobs/{job_id}", job_status),
            route("/api/descriptions/jobs/{job_id}/undo", job_undo, post),
        ],  # fmt: skip
    )
    app.state.decor = state
    if resume:
        threading.Thread(target=_resume_quietly, args=(state,), daemon=True).start()
    return app


def _resume_quietly(state: DecorApp) -> None:
    try:
        state.resume_jobs()
    except Exception:  # the platform may not be up yet; the journal waits for the next start
        log.exception("could not resume description jobs")
