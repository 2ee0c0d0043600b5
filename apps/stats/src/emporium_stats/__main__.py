"""`python -m emporium_stats serve`: run the store-statistics app's web process."""

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_stats", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: install, webhooks, dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    import uvicorn

    from emporium_stats.config import Config
    from emporium_stats.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_stats: set STATS_CLIENT_ID and STATS_CLIENT_SECRET (register the app in the "
            "developer center first; `emporium demo` does all of this for you)"
        )
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_stats: serving on http://{args.host}:{args.port}/ (data in {config.data_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(build(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
