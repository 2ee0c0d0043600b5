"""CPU per call of GET /api/v1/items?limit=50 and its bare twin, in one process, and a profile.

    uv run python bench/api_cpu.py [--items 250] [--calls 100] [--rounds 5] [--profile 30]
                                   [--reuse] [--dump page.json]

bench/api.py measures the page through a server and wrk; this measures what one call costs the
process that answers it, which a shared machine disturbs far less than a rate: `time.process_time`
around `--calls` calls of the Django test client, `--rounds` times, api and bare alternating,
medians printed. The data is bench/api.py's own (its `prepare`: one shop of `--items` on-sale
items of 3 SKUs each, a premium app, a token with items:read), in a fresh SQLite database under
var/bench-api-cpu ($BENCH_API_CPU_VAR_DIR), or in the database $DATABASE_URL names (an empty one
of its own). `--reuse` keeps the SQLite database of the previous run (and its token), so two
versions of the code answer from the same rows. `--profile N` prints cProfile's top N functions
of one round of API calls; `--dump` writes one page's body, to compare two versions byte for byte.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import PAGE, RATE_LIMITS, prepare  # noqa: E402
from harness import PROJECT, fresh_var, load_average  # noqa: E402

VAR = Path(os.environ.get("BENCH_API_CPU_VAR_DIR", PROJECT / "var" / "bench-api-cpu")).resolve()


def setup_env(reuse: bool) -> None:
    """Settings as bench/api.py's server has them, except the call log, flushed by hand."""
    os.environ.update(
        EMPORIUM_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="emporium.settings",
        DEBUG="0",
        LOG_LEVEL="WARNING",
        BENCH_BARE_ENDPOINTS="1",
        API_RATE_LIMITS=RATE_LIMITS,
        # No writer thread: its work would land in this process's CPU time at random moments.
        API_CALL_LOG_THREAD="0",
    )
    if not (reuse or os.environ.get("DATABASE_URL")):
        fresh_var(VAR)


def cpu_ms(call, calls: int) -> float:
    """CPU milliseconds per call, over `calls` calls."""
    from emporium.api import calllog

    started = time.process_time()
    for _ in range(calls):
        call()
    spent = time.process_time() - started
    calllog.discard()  # the rows the call log queued, which the thread would have written
    return spent * 1000 / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--calls", type=int, default=100, help="calls per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of a profile")
    parser.add_argument("--reuse", action="store_true", help="the previous run's database")
    parser.add_argument("--dump", type=Path, help="write one API page's body to this file")
    args = parser.parse_args()
    setup_env(args.reuse)
    sys.path.insert(0, str(PROJECT))
    saved = VAR / "prepared.json"
    if args.reuse:
        import django

        django.setup()
        prepared = json.loads(saved.read_text())
    else:
        prepared = prepare(args.items)
        saved.write_text(json.dumps(prepared))
    from django.test import Client

    client = Client()
    api_path = f"/api/v1/items?limit={PAGE}"
    bare_path = f"/bench/bare/items?shop={prepared['shop']}&limit={PAGE}"
    bearer = f"Bearer {prepared['token']}"

    def api():
        response = client.get(api_path, HTTP_AUTHORIZATION=bearer)
        assert response.status_code == 200, response.content[:300]
        return response

    def bare():
        response = client.get(bare_path)
        assert response.status_code == 200, response.content[:300]
        return response

    for _ in range(20):  # imports, caches, the rate-limit lease
        api(), bare()
    if args.dump:
        args.dump.write_bytes(api().content)
        print(f"Wrote one page ({len(api().content):,} bytes) to {args.dump}.")
    print(f"Load average {load_average()} before.")
    figures: dict[str, list[float]] = {"api": [], "bare": []}
    for _ in range(args.rounds):  # alternating, so a burst of load hits both alike
        figures["api"].append(cpu_ms(api, args.calls))
        figures["bare"].append(cpu_ms(bare, args.calls))
    for name, runs in figures.items():
        shown = ", ".join(f"{ms:.2f}" for ms in runs)
        print(f"{name}: median {statistics.median(runs):.2f} ms CPU per call ({shown})")
    print(f"Load average {load_average()} after.")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.calls):
            api()
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
