"""The books app's web process: install (OAuth), webhooks, and the embedded books page.

Routes only: the booking rules live in `books`, the platform reading in `ingest`.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from emporium_sdk import (
    Client,
    EmporiumError,
    Event,
    Installer,
    JsonFileTokenStore,
    OAuthApp,
    SqlitePendingStore,
    WebhookVerificationError,
    WebhookVerifier,
    frame_script,
    verify_session_token,
)
from emporium_sdk.errors import SessionTokenError
from emporium_sdk.models import BalanceTransactionOut
from emporium_sdk.starlette import app_routes
from emporium_sdk.viewpass import ViewPassError, check_pass, issue_pass
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
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

from emporium_books import (
    books,
    chart,
    cogs,
    escrow,
    expenses,
    export,
    i18n,
    ingest,
    plans,
    purchases,
    reports,
    rules,
    sheets,
    statements,
)
from emporium_books.config import Config
from emporium_books.money import BadInput
from emporium_books.statements import StatementError
from emporium_books.store import STOCK_EXPENSE, Store

log = logging.getLogger(__name__)
SCOPES = ["shop:read", "orders:read", "finance:read"]
TOPICS = ["balance.transaction_created", "balance.withdrawal_created", "order.paid",
          "order.cancelled", "order.settled", "order.refunded", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip
PURPOSE = "books"
HERE = Path(__file__).resolve().parent


class BooksApp:
    """Everything one process holds: config, the OAuth installer and the store."""

    def __init__(self, config: Config) -> None:
        config.ensure_dirs()
        self.config = config
        oauth = OAuthApp(
            config.client_id, config.client_secret,
            base_url=config.platform_url, redirect_uri=config.redirect_uri,
        )  # fmt: skip
        self.oauth = oauth
        self.store = Store(config.database)
        purchases.open_tables(self.store)
        # The household members' buyer tokens, by the pairwise buyer id (never a shop's token).
        self.buyer_tokens = JsonFileTokenStore(config.data_dir / "buyer_tokens.json")
        self.installer = Installer(
            oauth, JsonFileTokenStore(config.data_dir / "tokens.json"),
            SqlitePendingStore(config.data_dir / "pending.sqlite3"), scopes=SCOPES,
        )  # fmt: skip
        secrets = config.webhook_secrets.split()
        self.verifier = WebhookVerifier(secrets) if secrets else None
        self.stopping = threading.Event()
        self.wake = threading.Event()  # a catch-up round now, not at the end of the interval
        self._catching_up: dict[str, threading.Lock] = {}  # one catch-up of a shop at a time
        self._locks = threading.Lock()
        self.running: set[str] = set()  # the shops being caught up now
        self.failures: dict[str, str] = {}  # a shop's last catch-up that failed: why
        self.loops = 0  # catch-up loops started (only the newest runs)
        with self.store.connect() as db:  # shops installed before the chart grew get its accounts
            for (shop_id,) in db.execute("select shop_id from shop").fetchall():
                self.store.open_accounts(shop_id, books.CHART)

    def run_jobs(self, every: float) -> None:
        """The scheduled job: post due recurring expenses now and then every `every` seconds."""
        while not self.stopping.is_set():
            try:
                posted = expenses.post_due_everywhere(self.store, books.today())
                if posted:
                    log.info("%d recurring expenses posted", posted)
            except Exception:  # a bad night must not stop the next one
                log.exception("posting recurring expenses failed")
            self.stopping.wait(every)

    def client(self, shop_id: str) -> Client:
        return self.installer.client(shop_id)

    def finish_install(self, query: dict[str, str]) -> str:
        installed = self.installer.finish(query)
        self.store.save_shop(installed.shop_id, installed.shop.name)
        with self.client(installed.shop_id) as client:
            self.store.set_plan(installed.shop_id, plans.plan_of(client))
        self.store.open_accounts(installed.shop_id, books.CHART)
        self.catch_up_soon(installed.shop_id)
        return installed.shop_id

    def catch_up_soon(self, shop_id: str) -> None:
        """A catch-up of the shop in the background now (the install's backfill, a retry)."""
        threading.Thread(target=self.try_catch_up, args=(shop_id,), daemon=True).start()

    def catch_up_forever(self, every: float) -> None:
        """The safety net beside the webhooks, in the app's own process: every installed shop
        caught up at start (a backfill a restart cut off resumes from its cursor, movements
        whose webhooks were missed while the app was down are booked, a plan upgrade is seen)
        and then every `every` seconds (`BOOKS_FEED_SECONDS`), one shop after another."""
        self.loops += 1
        loop = self.loops  # a server stopped and started again: the old loop ends, not runs on
        while not self.stopping.is_set() and loop == self.loops:
            self.catch_up_all()
            self.wake.wait(every)
            self.wake.clear()

    def catch_up_all(self) -> None:
        for shop_id in self.store.installed_shops():
            if self.stopping.is_set():
                return
            self.try_catch_up(shop_id)

    def stop(self) -> None:
        """The process is going down: a catch-up stops after its page, the loop at once."""
        self.stopping.set()
        self.wake.set()

    def try_catch_up(self, shop_id: str) -> int | None:
        """A catch-up whose failure is logged and kept for the page (tried again at the next
        round) instead of raised; None when it failed."""
        try:
            return self.catch_up(shop_id)
        except Exception as error:  # the platform down, a token revoked: the next round retries
            log.exception("shop %s: catch-up failed; trying again at the next round", shop_id)
            self.failures[shop_id] = str(error) or type(error).__name__
            return None

    def catch_up(self, shop_id: str) -> int:
        """Backfill (first time) or catch up (after a pause) from the balance transactions.
        A second catch-up of the same shop waits for the first to end (then reads only what is
        newer): never two at once."""
        with self._locks:
            lock = self._catching_up.setdefault(shop_id, threading.Lock())
        with lock:
            self.running.add(shop_id)
            try:
                new = self._catch_up(shop_id)
            finally:
                self.running.discard(shop_id)
        self.failures.pop(shop_id, None)
        return new

    def _catch_up(self, shop_id: str) -> int:
        with self.client(shop_id) as client:
            self.store.set_plan(shop_id, plans.plan_of(client))  # the seller may have upgraded
            cogs.sync_orders(client, self.store, shop_id)
            escrow.refresh_open(client, self.store, shop_id)
            escrow.book(self.store, shop_id)  # payments before the settlements releasing them
            new = ingest.catch_up(client, self.store, shop_id, stopping=self.stopping.is_set)
        escrow.book(self.store, shop_id)  # refunds of settled orders, known from their settlement
        cogs.post_cogs(self.store, shop_id)
        log.info("shop %s: %d new movements booked", shop_id, new)
        return new

    def receive(self, headers: dict[str, str], body: bytes) -> Event:
        if self.verifier is None:
            raise WebhookVerificationError("no webhook secret is configured")
        event = self.verifier.verify(body, headers)
        if event.type.startswith("order.") and not event.shop_id:  # a buyer's, of no shop
            purchases.on_event(self.store, event.data)
        elif event.type == "app.uninstalled" and event.shop_id:
            self.store.set_installed(event.shop_id, False)
            self.installer.tokens.delete(event.shop_id)
        elif event.type == "app.erasure_requested" and event.shop_id:
            purchases.disconnect(self.store, self.buyer_tokens, event.shop_id)
            self.store.forget(event.shop_id)
            self.installer.tokens.delete(event.shop_id)
        elif event.type.startswith("order.") and event.shop_id and self.store.shop(event.shop_id):
            cogs.keep_order_event(self.store, event.shop_id, event.data)
            escrow.book(self.store, event.shop_id)
        elif ingest.handle(self.store, event.type, event.shop_id, event.data) and event.shop_id:
            escrow.book(self.store, event.shop_id)  # a settlement tells escrow's refund
            cogs.post_cogs(self.store, event.shop_id)
        return event

    def movements(
        self, shop_id: str, until: date, since: date | None = None
    ) -> tuple[list[BalanceTransactionOut], Decimal, date | None]:
        """The platform's balance transactions up to the end of `until` (from `since`, led by
        the last one before it, whose balance after opens the window), its balance now, and
        the window's start. Only movements newer than the app's copy of the statement are
        asked for (none when the copy holds the newest the balance includes); the rest is read
        from the copy (bench/books.py)."""
        with self.client(shop_id) as client:
            balance = client.finance.get_balance()
            # The balance names the newest movement it includes: when the copy holds it, there
            # is nothing newer to read (one call, not two).
            newest = balance.last_transaction_id
            if newest is None or not self.store.keeps_movement(shop_id, newest):
                ingest.read_statement(client, self.store, shop_id)
            now = Decimal(balance.available.amount)
        bodies = self.store.statement(
            shop_id, since.isoformat() if since else None, until.isoformat()
        )
        return [BalanceTransactionOut.model_validate_json(b) for b in bodies], now, since


RECONCILE_DAYS = 31
JOURNAL_PAGE = 200  # postings a journal page lists; the CSV has them all
ASSETS = {"echarts.min.js": "echarts/dist/echarts.min.js"}
STATIC = {"books.js", "books.css"}


def build(config: Config | None = None, *, background: bool = True) -> Starlette:
    """The web app; with `background`, its catch-up loop runs while it serves (the lifespan)."""
    state = BooksApp(config or Config())
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    store = state.store

    def lang_of(request: Request, form: dict[str, str] | None = None) -> str:
        params = request.query_params
        return i18n.pick(
            (form or {}).get("lang") or params.get("lang") or params.get("locale")
            or request.headers.get("accept-language")
        )  # fmt: skip

    def page(
        request: Request, name: str, shop_id: str, lang: str, status: int = 200, **context: Any
    ) -> Response:
        view_pass = context.pop("view_pass", None) or issue_pass(
            shop_id, state.config.client_secret, purpose=PURPOSE
        )
        shop = store.shop(shop_id)
        own = store.labels(shop_id)  # categories the seller added read as she named them

        def link(path: str, **query: str) -> str:
            params = {"pass": view_pass, "lang": lang, **{k: v for k, v in query.items() if v}}
            return f"{path}?{urlencode(params)}"

        context.update(t=i18n.table(lang), lang=lang, shop=shop, pass_=view_pass, link=link,
                       platform=state.config.platform_url,
                       acct=lambda name: own.get(name) or i18n.account_label(name, lang),
                       short=lambda name: own.get(name) or i18n.short_label(name, lang),
                       known=shop is not None and shop.installed, active=name,
                       backfill_failed=state.failures.get(shop_id))  # fmt: skip
        return templates.TemplateResponse(request, f"{name}.html", context, status_code=status)

    def refused(request: Request, reason: str, lang: str) -> Response:
        html_page = templates.get_template("refused.html").render(reason=reason, t=i18n.table(lang))
        return HTMLResponse(html_page, status_code=401)

    async def shop_of(request: Request) -> tuple[str | None, dict[str, str], str]:
        """The shop the request's view pass names (query or form), the form, and the language."""
        form: dict[str, str] = {}
        if request.method == "POST":
            data = await request.form()
            form = {k: v for k, v in data.items() if isinstance(v, str)}
            request.state.files = {k: v for k, v in data.items() if not isinstance(v, str)}
        lang = lang_of(request, form)
        view_pass = form.get("pass") or request.query_params.get("pass", "")
        try:
            return check_pass(view_pass, state.config.client_secret, purpose=PURPOSE), form, lang
        except ViewPassError:
            return None, form, lang

    def home_context(shop_id: str, today: date) -> dict[str, Any]:
        pnl = reports.profit_and_loss(store, shop_id, since=(today.replace(day=1)
                                      - timedelta(days=1)).strftime("%Y-%m"))  # fmt: skip
        return {
            "expense_accounts": expenses.spending_accounts(store, shop_id),
            "paying_accounts": expenses.paying_accounts(store, shop_id),
            "recent": expenses.recent_expenses(store, shop_id),
            "months": pnl.months,
            "today": today.isoformat(),
            "room": plans.room_left(store, shop_id, today),
            "free_limit": plans.FREE_PER_MONTH,
            "buyers": purchases.buyers_of(store, shop_id),
        }

    async def embedded(request: Request) -> Response:
        lang = lang_of(request)
        try:
            claims = verify_session_token(
                request.query_params.get("session", ""),
                client_id=state.config.client_id,
                client_secret=state.config.client_secret,
            )
        except SessionTokenError as error:
            return refused(request, str(error), lang)
        return home(request, claims.shop_id, lang)

    def home(
        request: Request, shop_id: str, lang: str, form: dict[str, str] | None = None,
        errors: dict[str, str] | None = None, status: int = 200, view_pass: str | None = None,
    ) -> Response:  # fmt: skip
        today = books.today()
        known = store.shop(shop_id)
        context = home_context(shop_id, today) if known else {}
        query = request.query_params
        kept = form or {"account": query.get("account", ""), "pay_from": query.get("pay_from", ""),
                        "day": query.get("day", "")}  # fmt: skip
        if known and not kept.get("pay_from"):
            kept = {**kept, "pay_from": expenses.default_pay_from(store, shop_id,
                                                                  kept.get("account", ""))}  # fmt: skip
        return page(request, "app", shop_id, lang, status, form=kept, errors=errors or {},
                    saved=query.get("saved"), view_pass=view_pass,
                    purchases_news=query.get("purchases", ""), **context)  # fmt: skip

    async def open_home(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        return home(request, shop_id, lang)

    async def add_expense(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        expense, errors = expenses.read_expense(store, shop_id, form, books.today())
        if expense is not None and plans.room_left(store, shop_id, books.today()) == 0:
            expense, errors = None, {"plan": "plan_limit"}
        if expense is None:
            return home(request, shop_id, lang, form=form, errors=errors, status=400,
                        view_pass=form.get("pass"))  # fmt: skip
        await run_in_threadpool(expenses.record_expense, store, shop_id, expense)
        # Back to an empty amount, the same accounts and date: the next expense straight away.
        view_pass = form.get("pass") or request.query_params.get("pass", "")
        query = urlencode({"pass": view_pass, "lang": lang, "saved": "1",
                           "account": expense.account, "pay_from": expense.pay_from,
                           "day": form.get("day", "")})  # fmt: skip
        return RedirectResponse(f"home?{query}#amount", status_code=303)

    async def add_draw(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        draft, errors = expenses.read_draw(store, shop_id, form, books.today())
        if draft is None:
            return home(request, shop_id, lang, form=form, errors=errors, status=400,
                        view_pass=form.get("pass"))  # fmt: skip
        store.record_all(shop_id, [draft])
        view_pass = form.get("pass") or request.query_params.get("pass", "")
        query = urlencode({"pass": view_pass, "lang": lang, "saved": "1"})
        return RedirectResponse(f"home?{query}#draw", status_code=303)

    async def connect_purchases(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None or store.shop(shop_id) is None:
            return refused(request, "bad view pass", lang)
        url = purchases.start(state.oauth, store, shop_id)
        return RedirectResponse(url, status_code=303)

    async def disconnect_purchases(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        purchases.disconnect(store, state.buyer_tokens, shop_id)
        query = urlencode({"pass": form.get("pass", ""), "lang": lang, "purchases": "off"})
        return RedirectResponse(f"../home?{query}#purchases", status_code=303)

    async def budgets_page(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        errors = expenses.save_budgets(store, shop_id, form) if request.method == "POST" else {}
        return page(request, "budgets", shop_id, lang, 400 if errors else 200, errors=errors,
                    form=form, budgets=expenses.budgets(store, shop_id),
                    expense_accounts=expenses.expense_accounts(store, shop_id),
                    saved=request.method == "POST" and not errors,
                    view_pass=form.get("pass"))  # fmt: skip

    async def recurring_page(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        errors: dict[str, str] = {}
        status = 200
        if request.method == "POST":
            if form.get("stop"):
                expenses.stop_recurring(store, shop_id, int(form["stop"]))
            else:
                spec, errors = expenses.read_recurring(store, shop_id, form, books.today())
                if spec is not None:
                    expenses.add_recurring(store, shop_id, spec)
                    expenses.post_due(store, shop_id, books.today())
                    form = {}
                else:
                    status = 400
        return page(request, "recurring", shop_id, lang, status, form=form, errors=errors,
                    entries=expenses.recurring(store, shop_id),
                    expense_accounts=expenses.spending_accounts(store, shop_id),
                    paying_accounts=expenses.paying_accounts(store, shop_id),
                    view_pass=form.get("pass"))  # fmt: skip

    async def import_page(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        paying = expenses.paying_accounts(store, shop_id)
        # Stock bought is inventory: the old stock expense is not offered (docs/decisions.md).
        accounts = [n for n, _b, _k in store.accounts(shop_id) if n != STOCK_EXPENSE]
        context: dict[str, Any] = {"paying_accounts": paying, "accounts": accounts, "form": form,
                   "view_pass": form.get("pass")}  # fmt: skip
        if request.method == "GET":
            return page(request, "import", shop_id, lang, **context)
        try:
            if form.get("upload"):  # the seller confirms the previewed file
                kept = statements.upload(store, shop_id, int(form["upload"]))
                if kept is None:
                    raise StatementError("upload_gone")
                content, account = kept
                choices = {int(k[4:]): v for k, v in form.items() if k.startswith("row_") and v}
                room = plans.room_left(store, shop_id, books.today())
                booked, problems = await run_in_threadpool(
                    statements.commit, store, shop_id, content, account, choices, room
                )
                if problems:
                    statement = statements.preview(store, shop_id, content, account)
                    return page(request, "preview", shop_id, lang, 400, statement=statement,
                                problems=problems, upload=form["upload"], account=account,
                                choices=choices, **context)  # fmt: skip
                return page(request, "import", shop_id, lang, booked=booked, **context)
            file = request.state.files.get("statement")
            content = await file.read() if file is not None else b""
            account = form.get("account", "")
            if account not in dict(paying):
                raise StatementError("account_unknown")
            if not content:
                raise StatementError("file_missing")
            statement = statements.preview(store, shop_id, content, account)
        except StatementError as error:
            return page(request, "import", shop_id, lang, 400, error=error.code, **context)
        upload_id = statements.save_upload(store, shop_id, content, account)
        return page(request, "preview", shop_id, lang, statement=statement, problems=[],
                    upload=upload_id, account=account, choices={}, **context)  # fmt: skip

    async def costs_page(request: Request) -> Response:
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        errors: dict[int, str] = {}
        saved = 0
        problems: list[tuple[int, str, str]] = []
        upload = getattr(request.state, "files", {}).get("costs")
        if request.method == "POST" and upload is not None:
            try:
                saved, problems = cogs.import_costs(store, shop_id, await upload.read())
            except StatementError as error:
                problems = [(0, error.code, "")]
        elif request.method == "POST":
            for key, value in form.items():
                if key.startswith("sku_") and value.strip():
                    try:
                        cogs.set_cost(store, shop_id, int(key[4:]), value)
                        saved += 1
                    except (BadInput, ValueError) as error:
                        errors[int(key[4:])] = getattr(error, "code", "amount_not_a_number")
            cogs.post_cogs(store, shop_id)
        if saved and not problems:
            cogs.post_cogs(store, shop_id)
        month = costs_month(form.get("month") or request.query_params.get("month", ""))
        return page(request, "costs", shop_id, lang, 400 if errors or problems else 200,
                    skus=cogs.skus(store, shop_id, "" if month == "all" else month),
                    errors=errors, saved=saved, form=form, problems=problems, month=month,
                    view_pass=form.get("pass"))  # fmt: skip

    def costs_month(asked: str) -> str:
        """The costs page's month: YYYY-MM, "all" for all time, this month by default."""
        if asked == "all" or re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", asked):
            return asked
        return f"{books.today():%Y-%m}"

    def report_args(request: Request) -> tuple[str, str, str]:
        params = request.query_params
        book = params.get("book", "all")
        return (book if book in ("all", "business", "personal") else "all",
                params.get("since", ""), params.get("until", ""))  # fmt: skip

    async def reports_page(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        book, since, until = report_args(request)
        pnl = reports.profit_and_loss(store, shop_id, book=book, since=since, until=until)
        try:
            day = date.fromisoformat(request.query_params.get("day") or books.today().isoformat())
        except ValueError:
            day = books.today()
        sheet = reports.balance_sheet(store, shop_id, day=day, book=book)
        chart = {
            "months": [m.month for m in pnl.months],
            "income": [str(m.income) for m in pnl.months],
            "expenses": [str(m.expenses) for m in pnl.months],
            "profit": [str(m.profit) for m in pnl.months],
        }
        spent = reports.spending(pnl, request.query_params.get("month", ""))
        own = store.labels(shop_id)
        pie = [{"name": own.get(account) or i18n.account_label(account, lang), "value": str(now)}
               for account, now, _before in (spent.rows if spent else []) if now > 0]  # fmt: skip
        needed, accidental = (
            reports.necessary_and_accidental(store, shop_id, spent.month, book=book)
            if spent
            else (Decimal("0.00"), Decimal("0.00"))
        )
        return page(request, "reports", shop_id, lang, pnl=pnl, sheet=sheet, book=book,
                    since=since, until=until, chart=chart, spent=spent, pie=pie,
                    needed=needed, accidental=accidental,
                    budgets=expenses.budgets(store, shop_id),
                    flows=reports.cash_flow(store, shop_id, book=book))  # fmt: skip

    async def categories_page(request: Request) -> Response:
        """The chart of accounts, a form adding a category or a paying account, and one entering
        a paying account's opening balance."""
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        error, added, renamed, opened = "", "", "", ""
        renaming = form.get("rename", "")
        if request.method == "POST":
            try:
                if form.get("opening"):
                    opened = chart.opening_balance(store, shop_id, form.get("opening", ""),
                                                   form.get("amount", ""), form.get("day", ""),
                                                   books.today())  # fmt: skip
                elif renaming:
                    renamed = chart.rename_category(store, shop_id, renaming,
                                                    form.get("label", ""))  # fmt: skip
                else:
                    added = chart.add_category(store, shop_id, form.get("label", ""),
                                               form.get("kind", ""), form.get("book", ""))  # fmt: skip
            except BadInput as bad:
                error = bad.code
        return page(request, "categories", shop_id, lang, 400 if error else 200, error=error,
                    added=added, renamed=renamed, renaming=renaming if error else "",
                    opened=opened, opening=form.get("opening", "") if error else "",
                    paying_accounts=expenses.paying_accounts(store, shop_id),
                    today=books.today().isoformat(),
                    form=form if error else {}, accounts=store.accounts(shop_id),
                    own=store.labels(shop_id), view_pass=form.get("pass"))  # fmt: skip

    async def rules_page(request: Request) -> Response:
        """The seller's import rules: add one, list them, delete one after a confirmation."""
        shop_id, form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        error, error_value, added, deleted = "", "", None, None
        asked = form.get("delete") or request.query_params.get("delete", "")
        confirming = rules.get(store, shop_id, int(asked)) if asked.isdigit() else None
        if request.method == "POST" and confirming is not None:
            if form.get("confirm") == "yes":  # the second step: the seller said yes
                rules.delete(store, shop_id, confirming.id)
                deleted, confirming = confirming, None
        elif request.method == "POST":
            try:
                added = rules.add(store, shop_id, form.get("pattern", ""), form.get("account", ""))
            except BadInput as bad:
                error, error_value = bad.code, bad.value
        return page(request, "rules", shop_id, lang, 400 if error else 200, error=error,
                    error_value=error_value, added=added, deleted=deleted, confirming=confirming,
                    rules=rules.listed(store, shop_id), choices=rules.categories(store, shop_id),
                    form=form if error else {}, view_pass=form.get("pass"))  # fmt: skip

    def csv_response(text: str, name: str) -> Response:
        # A BOM, so a spreadsheet program reads the Chinese headers and narrations as UTF-8.
        return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}.csv"'})  # fmt: skip

    async def report_csv(request: Request) -> Response:
        """Each report of the reports page as CSV: the same figures, by the report's name."""
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        name = request.path_params.get("name", "profit-and-loss")
        book, since, until = report_args(request)
        if name == "balance-sheet":
            return csv_response(sheets.balance_sheet(reports.balance_sheet(
                store, shop_id, day=day_param(request), book=book), lang), name)  # fmt: skip
        if name == "cash-flow":
            return csv_response(
                sheets.cash_flow(reports.cash_flow(store, shop_id, book=book), lang), name
            )
        if name == "costs":
            month = costs_month(request.query_params.get("month", ""))
            skus = cogs.skus(store, shop_id, "" if month == "all" else month)
            return csv_response(sheets.costs(skus, lang), name)
        if name == "journal":
            rows = reports.journal(store, shop_id, **journal_filters(request))
            return csv_response(sheets.journal(rows, lang), name)
        pnl = reports.profit_and_loss(store, shop_id, book=book, since=since, until=until)
        if name == "profit-and-loss":
            return csv_response(sheets.profit_and_loss(pnl, lang), name)
        spent = reports.spending(pnl, request.query_params.get("month", ""))
        if name == "spending":
            return csv_response(
                sheets.spending(spent, lang, expenses.budgets(store, shop_id)), name
            )
        if name == "necessary-accidental":
            month = spent.month if spent else ""
            split = reports.tags_by_category(store, shop_id, month, book=book)
            return csv_response(sheets.tags(month, split, lang), name)
        return PlainTextResponse("not found", 404)

    def page_number(request: Request) -> int:
        raw = request.query_params.get("page", "")
        return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1

    def day_param(request: Request) -> date:
        try:
            return date.fromisoformat(request.query_params.get("day") or books.today().isoformat())
        except ValueError:
            return books.today()

    async def tags_page(request: Request) -> Response:
        """A month's spending per category, necessary against accidental, each figure a link."""
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        book, _since, _until = report_args(request)
        pnl = reports.profit_and_loss(store, shop_id, book=book)
        spent = reports.spending(pnl, request.query_params.get("month", ""))
        month = spent.month if spent else ""
        split = reports.tags_by_category(store, shop_id, month, book=book) if spent else []
        return page(request, "tags", shop_id, lang, month=month, book=book, split=split,
                    months=[m.month for m in reversed(pnl.months)],
                    needed=sum((n for _a, n, _x in split), Decimal("0.00")),
                    accidental=sum((x for _a, _n, x in split), Decimal("0.00")))  # fmt: skip

    def journal_filters(request: Request) -> reports.JournalFilters:
        """The journal's filters from the query: the figure a drill-down link names."""
        params = request.query_params

        def kept(key: str, allowed: Collection[str] | None = None, pattern: str = "") -> str:
            value = params.get(key, "")
            if allowed is not None and value not in allowed:
                return ""
            return "" if pattern and not re.fullmatch(pattern, value) else value

        month = r"\d{4}-\d\d"
        return reports.JournalFilters(
            account=params.get("account", ""), month=kept("month", pattern=month),
            tag=kept("tag", ("necessary", "accidental")), kind=kept("kind", reports.KINDS),
            since=kept("since", pattern=month), until=kept("until", pattern=r"\d{4}-\d\d(-\d\d)?"),
            flow=kept("flow", (*reports.FLOW_ROOTS, "other", "net")),
            book=kept("book", ("business", "personal")) or "all",
        )  # fmt: skip

    async def journal_page(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        filters = journal_filters(request)
        number = page_number(request)
        rows = reports.journal(store, shop_id, **filters, offset=(number - 1) * JOURNAL_PAGE,
                               limit=JOURNAL_PAGE + 1)  # fmt: skip
        return page(request, "journal", shop_id, lang, rows=rows[:JOURNAL_PAGE], page_no=number,
                    more=len(rows) > JOURNAL_PAGE, first=(number - 1) * JOURNAL_PAGE + 1,
                    **filters)  # fmt: skip

    async def reconciliation(
        request: Request, shop_id: str
    ) -> tuple[date, reports.Reconciliation | None, str | None]:
        """The books against the platform at the end of the asked day (today by default)."""
        today = books.today()
        day = day_param(request)
        # A month of movements by default (a busy shop has 100,000 a year); ?window=all for all.
        whole = request.query_params.get("window") == "all"
        since = None if whole else day - timedelta(days=RECONCILE_DAYS)
        try:
            movements, now, since = await run_in_threadpool(state.movements, shop_id, day, since)
        except EmporiumError as error:
            return day, None, str(error)
        result = reports.reconcile(store, shop_id, movements, day=day, since=since,
                                   platform_now=now if day >= today else None)  # fmt: skip
        return day, result, None

    async def reconcile_page(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        day, result, error = await reconciliation(request, shop_id)
        return page(request, "reconcile", shop_id, lang, 502 if error else 200, result=result,
                    day=day.isoformat(), error=error)  # fmt: skip

    async def reconcile_csv(request: Request) -> Response:
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return refused(request, "bad view pass", lang)
        _day, result, error = await reconciliation(request, shop_id)
        if result is None:
            return PlainTextResponse(f"The platform could not be reached: {error}", 502)
        return csv_response(sheets.reconciliation(result, lang), "reconciliation")

    async def download(request: Request) -> Response:
        """The books as beancount; the view pass (a link of the embedded page) names the shop."""
        try:
            shop_id = check_pass(
                request.query_params.get("pass", ""), state.config.client_secret, purpose=PURPOSE
            )
        except ViewPassError as error:
            return PlainTextResponse(str(error), 401)
        shop = store.shop(shop_id)
        text = export.beancount(store, shop_id, shop.name if shop else "")
        return PlainTextResponse(
            text, headers={"content-disposition": 'attachment; filename="books.beancount"'}
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name in ASSETS:
            return FileResponse(state.config.assets_dir / ASSETS[name],
                                headers={"cache-control": "public, max-age=86400"})  # fmt: skip
        if name in STATIC:
            return FileResponse(HERE / "static" / name)
        if name == "emporium-frame.js":  # the SDK's: sizes the frame, answers the platform's asks
            return Response(frame_script(), media_type="text/javascript")
        return PlainTextResponse("not found", 404)

    def backfill_status(shop_id: str) -> dict[str, Any]:
        shop = store.shop(shop_id)
        failed = state.failures.get(shop_id)
        return {
            "done": bool(shop and shop.backfilled),
            "seen": shop.seen if shop else 0,
            # The platform does not say how many movements a shop has: no maximum, the count.
            "total": None,
            "running": shop_id in state.running,
            "state": "done" if shop and shop.backfilled else "failed" if failed else "running",
            "error": failed,
        }

    async def backfill_json(request: Request) -> Response:
        """The backfill's progress, for the bar of the page (books.js asks every few seconds)."""
        shop_id, _form, lang = await shop_of(request)
        if shop_id is None:
            return JSONResponse({"error": "bad view pass"}, 401)
        return JSONResponse(backfill_status(shop_id), headers={"cache-control": "no-store"})

    async def backfill_retry(request: Request) -> Response:
        """The seller asks the failed backfill again (it is retried each round anyway)."""
        shop_id, form, lang = await shop_of(request)
        if shop_id is None or store.shop(shop_id) is None:
            return refused(request, "bad view pass", lang)
        state.failures.pop(shop_id, None)
        state.catch_up_soon(shop_id)
        query = urlencode({"pass": form.get("pass", ""), "lang": lang})
        return RedirectResponse(f"home?{query}", status_code=303)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    installing = app_routes(
        start_install=state.installer.start,
        finish_install=state.finish_install,
        receive=state.receive,
        platform_url=state.config.platform_url,
    )
    installing = [with_buyer_callback(state, route) for route in installing]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if background:
            state.stopping.clear()
            threading.Thread(target=state.catch_up_forever, args=(state.config.feed_interval,),
                             name="catch-up", daemon=True).start()  # fmt: skip
        yield
        state.stop()

    app = Starlette(
        lifespan=lifespan,
        routes=[
            *installing,
            Route("/app", embedded),
            Route("/home", open_home),
            Route("/expenses", add_expense, methods=["POST"]),
            Route("/draws", add_draw, methods=["POST"]),
            Route("/purchases/connect", connect_purchases, methods=["GET", "POST"]),
            Route("/purchases/disconnect", disconnect_purchases, methods=["POST"]),
            Route("/budgets", budgets_page, methods=["GET", "POST"]),
            Route("/recurring", recurring_page, methods=["GET", "POST"]),
            Route("/import", import_page, methods=["GET", "POST"]),
            Route("/costs", costs_page, methods=["GET", "POST"]),
            Route("/reports", reports_page),
            Route("/reports.csv", report_csv),
            Route("/reports/{name}.csv", report_csv),
            Route("/tags", tags_page),
            Route("/categories", categories_page, methods=["GET", "POST"]),
            Route("/rules", rules_page, methods=["GET", "POST"]),
            Route("/reconcile.csv", reconcile_csv),
            Route("/journal", journal_page),
            Route("/reconcile", reconcile_page),
            Route("/export.beancount", download),
            Route("/assets/{name}", asset),
            Route("/backfill.json", backfill_json),
            Route("/backfill", backfill_retry, methods=["POST"]),
            Route("/healthz", health),
        ],
    )
    app.state.books = state
    return app


def with_buyer_callback(state: BooksApp, route: Route) -> Route:
    """The SDK's `/oauth/callback`, first telling a household member's buyer authorization
    (its state is one the app keeps for purchases) from a shop's install: one redirect URI."""
    if route.path != "/oauth/callback":
        return route
    install_callback: Callable[[Request], Awaitable[Response]] = route.endpoint

    async def callback(request: Request) -> Response:
        query = dict(request.query_params)
        if purchases.is_pending(state.store, query.get("state", "")):
            return await purchases_callback(state, query)
        return await install_callback(request)

    return Route(route.path, callback)


async def purchases_callback(state: BooksApp, query: dict[str, str]) -> Response:
    """The member came back from the buyer consent: to the household page, purchases booked."""
    try:
        connected = await run_in_threadpool(
            purchases.finish, state.oauth, state.store, state.buyer_tokens, query
        )
    except EmporiumError as error:
        return HTMLResponse(f"<h1>Not connected</h1><p>{html.escape(str(error))}</p>", 400)
    view_pass = issue_pass(connected.shop_id, state.config.client_secret, purpose=PURPOSE)
    params = urlencode({"pass": view_pass, "purchases": str(connected.booked)})
    return RedirectResponse(f"{state.config.public_url}/home?{params}#purchases", 303)
