"""The stats app's web process: install (OAuth), webhooks, and the embedded dashboard."""

import contextlib
import csv
import io
import logging
import threading
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from emporium_sdk import (
    Client,
    EmporiumError,
    Event,
    Installer,
    OAuthApp,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
    frame_script,
)
from emporium_sdk.starlette import app_routes
from starlette.applications import Starlette
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

from emporium_stats import dashboard, i18n, viewer
from emporium_stats.config import Config
from emporium_stats.ingest import Ingest
from emporium_stats.shops import Registry, Shop
from emporium_stats.store import close_days, open_store, prune
from emporium_stats.viewer import Attempts

log = logging.getLogger(__name__)
SCOPES = ["analytics:read", "orders:read", "items:read", "shop:read"]
HERE = Path(__file__).resolve().parent
# Wrong brand codes a shop may enter per window before joining is refused for a while.
JOIN_FAILURES = 5
JOIN_WINDOW_SECONDS = 15 * 60
# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ASSETS = {
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "china.json": "echarts-v4-maps/map/json/china.json",
}


class StatsApp:
    """Everything one process holds: config, OAuth client, registry, store and ingestion."""

    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        oauth = OAuthApp(
            config.client_id, config.client_secret,
            base_url=config.platform_url, redirect_uri=config.redirect_uri,
        )  # fmt: skip
        self.registry = Registry(config.data_dir)
        self.installer = Installer(
            oauth, self.registry.tokens, SqlitePendingStore(config.data_dir / "pending.sqlite3"),
            scopes=SCOPES,
        )  # fmt: skip
        self.store = open_store(config.store, tz=config.timezone)
        self.ingest = Ingest(self.store, self.registry, self.installer.client)
        secrets = config.webhook_secrets.split()  # several while a secret is being rotated
        self.verifier = WebhookVerifier(secrets) if secrets else None
        self.stop = threading.Event()

    # --- install ---------------------------------------------------------------------------

    def finish_install(self, query: dict[str, str]) -> Shop:
        installed = self.installer.finish(query)
        with self.installer.client(installed.shop_id) as client:
            plan = _plan_of(client)
        existing = self.registry.shop(installed.shop_id)
        shop = Shop(shop_id=installed.shop_id, name=installed.shop.name, plan=plan,
                    brand=existing.brand if existing else None,
                    installed_at=time.time())  # fmt: skip
        self.registry.save_shop(shop)
        self.ingest.refresh_items(shop.shop_id)
        self.ingest.backfill_orders(shop.shop_id)
        self.ingest.catch_up(shop.shop_id)
        return shop

    # --- webhooks --------------------------------------------------------------------------

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        self.ingest.handle(event)
        return event

    # --- feed catch-up ---------------------------------------------------------------------

    def catch_up_forever(self) -> None:
        """The feed safety net, and once a day closing yesterday into the rollups."""
        rolled = None
        while not self.stop.is_set():
            self.ingest.catch_up_all()
            today = datetime.now(ZoneInfo(self.config.timezone)).date()
            if rolled != today:
                try:
                    with self.ingest.lock:
                        prune(self.store, today)  # raw events past raw_days: rollups only
                        close_days(self.store, today)  # days before today: read from rollups
                    rolled = today
                except Exception:  # the dashboard keeps working on raw rows meanwhile
                    log.exception("daily rollup failed; trying again at the next round")
            self.stop.wait(self.config.feed_interval)


def _plan_of(client: Client) -> str:
    try:
        plan = client.billing.get_subscription().plan
    except EmporiumError:
        return "free"  # installed outside the market (e.g. a developer's sandbox)
    return "mall" if "mall" in plan.lower() else "free"


def build(config: Config | None = None, *, catch_up: bool = True) -> Starlette:
    state = StatsApp(config or Config())
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    tz = ZoneInfo(state.config.timezone)
    join_attempts = Attempts(JOIN_FAILURES, JOIN_WINDOW_SECONDS)

    def viewer_of(request: Request) -> str:
        token = request.headers.get("x-view-pass") or request.query_params.get("pass", "")
        return checked_pass(token)

    def checked_pass(token: str) -> str:
        """The shop of a genuine, unexpired pass whose install is still there."""
        shop_id = viewer.check_pass(token, state.config.client_secret)
        shop = state.registry.shop(shop_id)
        installed_at = shop.installed_at if shop else 0.0
        viewer.check_installed(token, state.config.client_secret,
                               shop is not None and shop.installed, installed_at)  # fmt: skip
        return shop_id

    async def home(request: Request) -> Response:
        shops = [s for s in state.registry.shops() if s.installed]
        return templates.TemplateResponse(
            request, "home.html", {"shops": shops, "platform": state.config.platform_url}
        )

    async def embedded(request: Request) -> Response:
        params = request.query_params
        lang = i18n.pick(
            params.get("lang") or params.get("locale") or request.headers.get("accept-language")
        )
        try:
            if request.query_params.get("pass"):
                # Our own pass (e.g. reloading after joining a brand), instead of a new session.
                shop_id = checked_pass(request.query_params["pass"])
            else:
                shop_id = viewer.open_session(
                    request.query_params.get("session", ""), state.config.client_id,
                    state.config.client_secret,
                )  # fmt: skip
        except viewer.NotAllowed as error:
            return HTMLResponse(
                templates.get_template("refused.html").render(
                    reason=str(error), t=i18n.table(lang), platform=state.config.platform_origin
                ),
                status_code=401,
            )
        shop = state.registry.shop(shop_id)
        zone = seller_zone(params.get("tz") or params.get("timezone"), tz)
        view_pass = viewer.issue_pass(shop_id, state.config.client_secret)
        context = {
            "t": i18n.table(lang),
            "lang": lang,
            "shop": shop,
            "known": shop is not None and shop.installed,
            "pass": view_pass,
            "shops": _shop_names(state, shop_id),
            "brand": state.registry.brand(shop.brand) if shop and shop.brand else None,
            "views": dashboard.VIEWS,
            "zone": str(zone),
            "today": datetime.now(zone).date().isoformat(),
            "platform": state.config.platform_origin,
        }
        return templates.TemplateResponse(request, "dashboard.html", context)

    async def data(request: Request) -> Response:
        try:
            shop_id = viewer_of(request)
        except viewer.NotAllowed as error:
            return JSONResponse({"error": str(error)}, 401)
        view = request.path_params["view"]
        if view not in dashboard.VIEWS:
            return JSONResponse({"error": f"unknown view {view}"}, 404)
        try:
            query = _query(request, state, shop_id, tz)
        except ValueError as error:
            return JSONResponse({"error": str(error)}, 422)
        return JSONResponse(
            dashboard.view(state.store, view, **query), headers={"cache-control": "no-store"}
        )

    async def export(request: Request) -> Response:
        try:
            shop_id = viewer_of(request)
            query = _query(request, state, shop_id, tz)
        except viewer.NotAllowed as error:
            return PlainTextResponse(str(error), 401)
        except ValueError as error:
            return PlainTextResponse(str(error), 422)
        table = request.path_params["table"]
        rows = dashboard.table(state.store, table, **query)
        if rows is None:
            return PlainTextResponse(f"unknown table {table}", 404)
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        name = f"{table}-{query['start']}-{query['end']}.csv"
        return Response(
            "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet programs read UTF-8 Chinese right
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def brand(request: Request) -> Response:
        form = await request.form()
        try:
            shop_id = checked_pass(str(form.get("pass", "")))
        except viewer.NotAllowed as error:
            return JSONResponse({"error": str(error)}, 401)
        shop = state.registry.shop(shop_id)
        if shop is None or shop.plan != "mall":
            return JSONResponse({"error": "the mall edition needs the Mall plan"}, 403)
        if form.get("code"):
            if not join_attempts.allowed(shop_id):
                return JSONResponse({"error": "too many wrong codes; try again later"}, 429,
                                    headers={"retry-after": str(JOIN_WINDOW_SECONDS)})  # fmt: skip
            brand = state.registry.join_brand(shop, str(form["code"]).strip())
            if brand is None:
                join_attempts.failed(shop_id)
                return JSONResponse({"error": "no brand has that code"}, 404)
        else:
            # One brand per shop: creating twice is a no-op.
            brand = state.registry.brand(shop.brand) or state.registry.create_brand(
                shop, str(form.get("name") or shop.name)
            )
        return JSONResponse(
            {"code": brand.code, "name": brand.name, "shops": _shop_names(state, shop_id)}
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name in ASSETS:
            return FileResponse(state.config.assets_dir / ASSETS[name],
                                headers={"cache-control": "public, max-age=86400"})  # fmt: skip
        local = HERE / "static" / name
        if name in {"dashboard.js", "dashboard.css"} and local.exists():
            return FileResponse(local)
        if name == "emporium-frame.js":  # the SDK's: sizes the frame, answers the platform's asks
            return Response(frame_script(), media_type="text/javascript")
        return PlainTextResponse("not found", 404)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "shops": len(state.registry.shops())})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The feed catch-up runs beside the web process: at start (after downtime) and then
        # every STATS_FEED_SECONDS, so a missed webhook is never missed for long.
        if catch_up:
            state.stop.clear()
            threading.Thread(target=state.catch_up_forever, name="feed", daemon=True).start()
        yield
        state.stop.set()

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
            Route("/data/{view}", data),
            Route("/export/{table}.csv", export),
            Route("/brand", brand, methods=["POST"]),
            Route("/assets/{name}", asset),
            Route("/healthz", health),
        ],
        lifespan=lifespan,
    )
    app.state.stats = state
    return app


class ShopName(TypedDict):
    id: str
    name: str


def _shop_names(state: StatsApp, shop_id: str) -> list[ShopName]:
    names: list[ShopName] = []
    for sid in state.registry.shops_in_view(shop_id):
        shop = state.registry.shop(sid)
        names.append({"id": sid, "name": shop.name if shop else sid})
    return names


class Query(TypedDict):
    """What a data request asks for, as `dashboard.view` and `dashboard.table` take it."""

    shops: list[str]
    start: date
    end: date
    tz: str
    now: datetime
    lang: str


def seller_zone(asked: str | None, default: ZoneInfo) -> ZoneInfo:
    """The seller's zone when the platform (or the page) names a real one, else the app's."""
    if asked:
        try:
            return ZoneInfo(asked)
        except (ValueError, ZoneInfoNotFoundError):
            pass  # a made-up zone is not worth an error page: the app's zone is shown instead
    return default


def _query(request: Request, state: StatsApp, shop_id: str, tz: ZoneInfo) -> Query:
    """The shops, the [start, end) range of local days (in the seller's zone, when the request
    names it), and the clock of a data request. One shop's own figures unless the seller asks
    for the whole brand (`shop=all`)."""
    params = request.query_params
    tz = seller_zone(params.get("tz"), tz)
    today = datetime.now(tz).date()
    try:
        end = date.fromisoformat(params["end"]) if params.get("end") else today
        start = (
            date.fromisoformat(params["start"]) if params.get("start") else end - timedelta(days=6)
        )
    except ValueError:
        raise ValueError("start and end are dates like 2026-11-25") from None
    if start > end:
        raise ValueError("start is after end")
    if (end - start).days > 366:
        raise ValueError("a range spans at most 366 days")
    in_view = state.registry.shops_in_view(shop_id)
    wanted = params.get("shop") or shop_id
    if wanted != "all" and wanted not in in_view:
        raise ValueError("that shop is not in your view")
    return {
        "shops": in_view if wanted == "all" else [wanted],
        "start": start,
        "end": end + timedelta(days=1),  # the end day is included
        "tz": str(tz),
        "now": datetime.now(tz),
        "lang": i18n.pick(params.get("lang")),
    }


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, quoted so it shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
