"""`python -m emporium_tv serve`: run the TV mall's web process."""

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_tv", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: the TV pages, pairing, webhooks")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8400)
    serve.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    import uvicorn

    from emporium_tv.config import Config
    from emporium_tv.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_tv: set TV_CLIENT_ID and TV_CLIENT_SECRET (register the app in the "
            "developer center first; `emporium demo` does all of this for you)"
        )
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_tv: serving on http://{args.host}:{args.port}/ (data in {config.data_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(build(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
