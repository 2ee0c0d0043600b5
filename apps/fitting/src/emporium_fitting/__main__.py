"""`python -m emporium_fitting serve`: run the fitting room's web process."""

import argparse
import logging
import os


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="emporium_fitting", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web process: install, admin page, buyer block")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8300)
    serve.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    # MediaPipe's native code logs through glog to stderr: keep its chatter to errors.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import uvicorn

    from emporium_fitting.config import Config
    from emporium_fitting.web import build

    config = Config()
    if not config.client_id or not config.client_secret:
        raise SystemExit(
            "emporium_fitting: set FITTING_CLIENT_ID and FITTING_CLIENT_SECRET (register the app "
            "in the developer center first; `./dev demo` does all of this for you)"
        )
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO)
    print(f"emporium_fitting: serving on http://{args.host}:{args.port}/ "
          f"(data in {config.data_dir})", flush=True)  # fmt: skip
    # No access log: a result's URL is a secret for its 10 minutes and must not reach a log.
    uvicorn.run(build(config), host=args.host, port=args.port, log_level="warning",
                access_log=False)  # fmt: skip


if __name__ == "__main__":
    main()
