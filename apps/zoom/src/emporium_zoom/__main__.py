"""`python -m emporium_zoom serve`: run the zoom viewer app's web process (with its tiling worker)."""

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_zoom", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: install, webhooks, viewer, tiles")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8300)
    serve.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    import uvicorn

    from emporium_zoom.config import Config
    from emporium_zoom.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_zoom: set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (register the app in the "
            "developer center first; `emporium demo` does all of this for you)"
        )
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_zoom: serving on http://{args.host}:{args.port}/ (data in {config.data_dir})",
          flush=True)  # fmt: skip
    uvicorn.run(build(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
