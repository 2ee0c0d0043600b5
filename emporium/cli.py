"""The `emporium` command: demo, serve, worker, seed, and Django's own commands under `manage`."""

import argparse
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from emporium.serving import SERVERS

if TYPE_CHECKING:
    from emporium.demo.supervisor import Supervisor

DEMO_ITEMS = 400


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emporium.settings")
    import django

    django.setup()


def _say(message: str) -> None:
    print(f"emporium: {message}", flush=True)


def _prepare(*, quiet: bool = False) -> None:
    """Create var/, compile translations and migrate: what every command needs before it runs."""
    from django.conf import settings
    from django.core.management import call_command

    from emporium.lib.translations import compile_catalogues

    _say(f"data directory {settings.VAR_DIR}")
    compile_catalogues(Path(settings.BASE_DIR) / "locale")
    db = settings.DATABASES["default"]
    _say(f"database {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']} — applying migrations")
    call_command("migrate", interactive=False, verbosity=0)


def cmd_seed(args: argparse.Namespace) -> None:
    _setup_django()
    _prepare()
    from emporium.demo.seed import seed_demo

    _say(f"seeding demo data up to {args.scale:,} items (deterministic, seed {args.random_seed})")
    summary = seed_demo(items=args.scale, random_seed=args.random_seed, progress=_say)
    _say(f"done: {summary}")


def _serve(host: str, port: int, workers: int, server: str | None) -> None:
    from emporium.serving import server_command

    command = server_command(host, port, workers, server)
    name = "WSGI, granian" if "granian" in command else "ASGI, uvicorn"
    _say(
        f"serving the platform on {_local_url(host, port)}/ ({workers} worker process(es), {name})"
    )
    sys.stdout.flush()
    # The server takes this process's place: signals sent to `emporium serve` reach it directly.
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and arguments


def _local_url(host: str, port: int) -> str:
    """Where this machine reaches a server bound to `host`: loopback for a wildcard address."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - a comparison
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _serve_at(host: str, port: int) -> None:
    """Before settings load: accept requests for `host`, and build absolute URLs (API links,
    picture URLs) on the address served, unless SITE_URL names another one (a proxy's)."""
    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):  # noqa: S104 - a comparison
        current = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
        os.environ["ALLOWED_HOSTS"] = f"{current},{host}"
    if not (os.environ.get("SITE_URL") or os.environ.get("SITE_URL_FILE")):
        os.environ["SITE_URL"] = _local_url(host, port)


def cmd_serve(args: argparse.Namespace) -> None:
    _serve_at(args.host, args.port)
    _setup_django()
    _prepare()
    _serve(args.host, args.port, args.workers, args.server)


def cmd_worker(args: argparse.Namespace) -> None:
    _setup_django()
    _prepare()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    # The migration's connection would stay open, idle, for the worker's life: one PostgreSQL
    # connection per worker for nothing (docs/deploy.md counts them).
    connections.close_all()

    _say(f"background worker on queue {settings.HUEY['huey_class']} (schedules and retries)")
    # One handler of our own (so run_huey adds none) and no propagation: each line once.
    huey_log = logging.getLogger("huey")
    huey_log.addHandler(logging.StreamHandler())
    huey_log.propagate = False
    huey_log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    if settings.DISPATCHER_IN_WORKER:
        from emporium.events.dispatcher import start_thread

        _say("event dispatcher: outbox → webhooks, every 0.2 s")
        start_thread()
    call_command("run_huey", **huey_options(args))


def huey_options(args: argparse.Namespace) -> dict[str, object]:
    """The queue consumer's options from `emporium worker`'s arguments. Every consumer on a
    shared queue (Redis) would enqueue each periodic task itself, so all but one worker of a
    deployment run with --no-schedules (docs/deploy.md)."""
    if args.no_schedules:
        _say("schedules: left to another worker (--no-schedules)")
        return {"periodic": False}
    return {}


def cmd_demo(args: argparse.Namespace) -> None:
    _serve_at(args.host, args.port)
    # The demo's apps run on this machine, so webhooks to loopback addresses are allowed; and
    # its traffic generator stands in for a proxy, giving visitors addresses in many provinces.
    os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "1")
    # Its traffic generator connects from loopback, so loopback is the one proxy believed.
    os.environ.setdefault("TRUSTED_PROXIES", "127.0.0.1,::1")
    # Its buyers pay with pretend cards and its sellers withdraw to a pretend bank.
    os.environ.setdefault("PAYMENTS_SANDBOX", "1")
    _setup_django()
    from django.conf import settings

    from emporium.demo.supervisor import Supervisor

    supervisor = Supervisor(_say, var_dir=Path(settings.VAR_DIR))
    with supervisor.running():
        _run_demo(args, supervisor)


def _run_demo(args: argparse.Namespace, supervisor: "Supervisor") -> None:
    """Seed, start every process, announce them once they answer, then watch them."""
    _prepare()
    from emporium.demo.seed import seed_demo
    from emporium.demo.trading import seed_trading

    _say(f"seeding demo data ({args.scale} items; skipped when already there)")
    summary = seed_demo(items=args.scale, progress=_say)
    seed_trading(progress=_say)
    base = _local_url(args.host, args.port)
    python = sys.executable
    supervisor.start("the platform web server", [python, "-m", "emporium.cli", "serve",
                     "--host", args.host, "--port", str(args.port)], url=f"{base}/")  # fmt: skip
    # A separate process, so the web server and the worker never share an event loop or GIL.
    supervisor.start("the background worker", [python, "-m", "emporium.cli", "worker", "--quiet"])
    stats_url = drive = None
    if args.stats_port:
        from emporium.demo import stats_app

        stats_url = f"http://127.0.0.1:{args.stats_port}"
        credentials = stats_app.register_stats_app(stats_url)
        shops = stats_app.market_installs()
        visits = max(1, stats_app.VISITS_PER_DAY * args.scale // DEMO_ITEMS)
        stats_app.seed_history(shops, progress=_say, visits_per_day=visits)
        _say(f"starting the store-statistics app on {stats_url} (its own process)")
        supervisor.start("the store-statistics app", stats_app.command(args.stats_port),
                         url=f"{stats_url}/healthz", env=credentials.env(base, stats_url),
                         data="stats")  # fmt: skip
        drive = threading.Thread(
            target=stats_app.connect_and_drive,
            args=(base, stats_url, shops, supervisor.stopping, _say),
            daemon=True,
        )
    decor_url = decorate = None
    if args.decor_port:
        from emporium.demo import decor_app

        decor_url = f"http://127.0.0.1:{args.decor_port}"
        decor_credentials = decor_app.register_decor_app(decor_url)
        decor_app.market_installs()
        _say(f"starting the decoration app on {decor_url} (its own process)")
        supervisor.start("the decoration app", decor_app.command(args.decor_port),
                         url=f"{decor_url}/healthz", env=decor_credentials.env(base, decor_url),
                         data="decor")  # fmt: skip
        decorate = threading.Thread(
            target=decor_app.connect,
            args=(base, decor_url, supervisor.stopping, _say),
            daemon=True,
        )
    zoom_url = connect_zoom = None
    if args.zoom_port:
        from emporium.demo import zoom_app

        zoom_url = f"http://127.0.0.1:{args.zoom_port}"
        zoom_credentials = zoom_app.register_zoom_app(zoom_url)
        zoom_app.market_installs()
        _say(f"starting the zoom viewer app on {zoom_url} (its own process)")
        supervisor.start("the zoom viewer app", zoom_app.command(args.zoom_port),
                         url=f"{zoom_url}/healthz", env=zoom_credentials.env(base, zoom_url),
                         data="zoom")  # fmt: skip
        connect_zoom = threading.Thread(
            target=zoom_app.connect, args=(base, zoom_url, supervisor.stopping, _say), daemon=True
        )
    fitting_url = fitting = None
    if args.fitting_port:
        from emporium.demo import fitting_app

        fitting_url = f"http://127.0.0.1:{args.fitting_port}"
        fitting_credentials = fitting_app.register_fitting_app(fitting_url)
        mei = fitting_app.market_install()
        _say(f"starting the fitting room on {fitting_url} (its own process)")
        supervisor.start("the fitting room", fitting_app.command(args.fitting_port),
                         url=f"{fitting_url}/healthz",
                         env=fitting_credentials.env(base, fitting_url), data="fitting")  # fmt: skip
        fitting = threading.Thread(
            target=fitting_app.connect,
            args=(base, fitting_url, mei, supervisor.stopping, _say),
            daemon=True,
        )
    books_url = keep_books = None
    if args.books_port:
        from emporium.demo import books_app

        books_url = f"http://127.0.0.1:{args.books_port}"
        books_credentials = books_app.register_books_app(books_url)
        books_app.market_installs()
        _say(f"starting the books app on {books_url} (its own process)")
        supervisor.start("the books app", books_app.command(args.books_port),
                         url=f"{books_url}/healthz", env=books_credentials.env(base, books_url),
                         data="books")  # fmt: skip
        keep_books = threading.Thread(
            target=books_app.connect, args=(base, books_url, supervisor.stopping, _say),
            daemon=True,
        )  # fmt: skip
    tv_url = None
    if args.tv_port:
        from emporium.demo import tv_app

        tv_url = f"http://127.0.0.1:{args.tv_port}"
        tv_credentials = tv_app.register_tv_app(tv_url)
        _say(f"starting the TV mall on {tv_url} (its own process)")
        supervisor.start("the TV mall", tv_app.command(args.tv_port), url=f"{tv_url}/healthz",
                         env=tv_credentials.env(base, tv_url), data="tv")  # fmt: skip
    for child in supervisor.children:
        supervisor.wait_until_up(child, timeout=args.start_timeout)
    urls = {"stats": stats_url, "decor": decor_url, "zoom": zoom_url, "fitting": fitting_url,
            "tv": tv_url, "books": books_url}  # fmt: skip
    print(_banner(base, summary.logins, urls), flush=True)
    for thread in (decorate, connect_zoom, fitting, keep_books, drive):
        if thread:
            thread.start()
    supervisor.watch()


# What each reference app's line in the banner says after its URL.
_APP_LINES = {
    "stats": "stats app      {url}/ (opens inside the seller center: Installed apps)",
    "decor": "decor app      {url}/ (opens inside the seller center: Installed apps)",
    "zoom": "zoom app       {url}/ (an item-page block; admin: Installed apps)",
    "fitting": "fitting room   {url}/ (Try it on: on some dresses of Mei's Closet)",
    "tv": "TV mall        {url}/ (a 1920x1080 tab; arrows, Enter, Esc; sign in on /device/)",
    "books": "books app      {url}/ (opens inside the seller center: Installed apps)",
}


def _banner(
    base: str, logins: list[tuple[str, str, str]], app_urls: dict[str, str | None] | None = None
) -> str:
    apps = [
        "  " + _APP_LINES[name].format(url=url) for name, url in (app_urls or {}).items() if url
    ]
    lines = [
        "",
        "Emporium demo is running:",
        f"  storefront     {base}/",
        f"  seller center  {base}/seller/  (app market: {base}/seller/market/)",
        f"  developers     {base}/developers/",
        f"  operator admin {base}/admin/",
        *apps,
        "",
        "Demo log-ins (role, username, password):",
        *(f"  {role:<10} {user:<10} {password}" for role, user, password in logins),
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def cmd_manage(args: argparse.Namespace) -> None:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["emporium manage", *args.rest])


def cmd_compile_translations(args: argparse.Namespace) -> None:
    from emporium.lib.translations import compile_catalogues

    locale = Path(__file__).resolve().parent / "locale"
    written = compile_catalogues(locale)
    _say(f"compiled {len(written)} translation catalogue(s) under {locale}")


def cmd_check_ledger(args: argparse.Namespace) -> None:
    _setup_django()
    from emporium.trade.books import check_trading_books

    _say("checking the ledger: postings balance, balances match entries, escrow matches orders")
    report = check_trading_books()
    _say(f"{report.accounts} accounts, {report.postings} postings, books sum to {report.total}")
    for problem in report.problems:
        print(f"  PROBLEM: {problem}", flush=True)
    if not report.ok:
        raise SystemExit(1)
    _say("ledger OK")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emporium", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, seed demo data, run the platform and its worker")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--stats-port", type=int, default=8100, help="the store-statistics app; 0 leaves it out"
    )
    demo.add_argument(
        "--decor-port", type=int, default=8200, help="the decoration app; 0 leaves it out"
    )
    demo.add_argument(
        "--zoom-port", type=int, default=8300, help="the zoom viewer app; 0 leaves it out"
    )
    demo.add_argument(
        "--fitting-port", type=int, default=8500, help="the fitting room app; 0 leaves it out"
    )
    demo.add_argument(
        "--tv-port", type=int, default=8400, help="the TV mall (a buyer app); 0 leaves it out"
    )
    demo.add_argument(
        "--books-port", type=int, default=8600, help="the books app (accounting); 0 leaves it out"
    )
    demo.add_argument(
        "--scale", type=int, default=DEMO_ITEMS, help="items to seed (storefront traffic follows)"
    )
    demo.add_argument(
        "--start-timeout", type=float, default=120, help="seconds each process has to answer"
    )
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser(
        "serve", help="run the platform web server (granian WSGI; --server uvicorn for ASGI)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
    serve.add_argument(
        "--server", choices=SERVERS, default=None, help="HTTP server (default $WEB_SERVER, granian)"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run the background worker (schedules, retries)")
    worker.add_argument("--quiet", action="store_true", help="log only warnings and errors")
    worker.add_argument(
        "--no-schedules",
        action="store_true",
        help="consume the queue but enqueue no periodic task: run schedules in one worker only",
    )
    worker.set_defaults(func=cmd_worker)

    seed = sub.add_parser("seed", help="create deterministic demo data")
    seed.add_argument("--scale", type=int, default=DEMO_ITEMS, help="number of items (e.g. 100000)")
    seed.add_argument("--random-seed", type=int, default=7)
    seed.set_defaults(func=cmd_seed)

    compile_tr = sub.add_parser("compile-translations", help="compile .po catalogues to .mo")
    compile_tr.set_defaults(func=cmd_compile_translations)

    check = sub.add_parser("check-ledger", help="prove the books balance and escrow matches orders")
    check.set_defaults(func=cmd_check_ledger)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    if args.command in ("seed", "demo") and args.scale < 0:
        raise SystemExit("emporium: --scale must be 0 or more")
    args.func(args)


if __name__ == "__main__":
    main()
