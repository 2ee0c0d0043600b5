"""`python -m emporium_decor serve`: run the decoration app's web process."""

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_decor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: install, webhooks, the embedded editor")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8200)
    serve.add_argument("--quiet", action="store_true")
    sub.add_parser("resume", help="finish description jobs a stopped process left half-done")
    args = parser.parse_args(argv)

    import uvicorn

    from emporium_decor.config import Config
    from emporium_decor.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_decor: set DECOR_CLIENT_ID and DECOR_CLIENT_SECRET (register the app in the "
            "developer center first; `emporium demo` does all of this for you)"
        )
    if args.command == "resume":
        from emporium_decor.web import DecorApp

        logging.basicConfig(level=logging.INFO)
        DecorApp(config).resume_jobs()
        return
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_decor: serving on http://{args.host}:{args.port}/ (data in {config.data_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(build(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
