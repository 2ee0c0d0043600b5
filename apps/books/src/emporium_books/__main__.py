"""`python -m emporium_books serve`: run the books app's web process."""

import argparse
import logging
import threading


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_books", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: install, webhooks, the embedded books")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    import uvicorn

    from emporium_books.config import Config
    from emporium_books.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_books: set BOOKS_CLIENT_ID and BOOKS_CLIENT_SECRET (register the app in the "
            "developer center first)"
        )
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_books: serving on http://{args.host}:{args.port}/ (data in {config.data_dir})",
          flush=True)  # fmt: skip
    app = build(config)
    # The scheduled job (recurring expenses) beside the web server, in the same process.
    threading.Thread(target=app.state.books.run_jobs, args=(config.jobs_seconds,),
                     daemon=True).start()  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
