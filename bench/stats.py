"""Store statistics: batch ingestion, and every dashboard query at 10 million events on three engines.

    uv run python bench/stats.py [--events 10000000] [--runs 3] [--ingest-events 100000]
                                 [--write-docs]

1. Ingestion: events from the traffic generator (emporium_stats.traffic) go into a fresh
   DuckDB store in batches of 500, as customer_events.collected delivers them; a small sample
   goes in one event at a time, for contrast (printed as a ratio). The same batches into chdb.
2. Queries: --events rows (default 10,000,000: 30 days, 10 shops, the first with half the
   traffic) are generated inside DuckDB with SQL over range() and the generator's distributions
   (hours, regions, sources, Zipf items), written to Parquet, and loaded into
   - the DuckDB store (the app's default),
   - the same ClickHouse SQL in-process through chdb,
   - PostgreSQL (127.0.0.1:5432, user postgres, database test) as simple analytics tools keep
     events: one plain table, B-tree indexes on (shop_id, ts) and (shop_id, day), loaded with
     COPY; tables stats_bench_* are dropped at the end.
   Each dashboard function of emporium_stats.store runs on all three over the big shop's 30 days
   (and the overview over all 10 shops): p50 of --runs runs, with ratios to DuckDB.

Data lives in var/bench-stats ($BENCH_STATS_VAR_DIR); the Parquet files are reused by later runs.
"""

# The SQL here is built from the benchmark's own constants and paths, never from input.
# ruff: noqa: S608

import argparse
import os
import re
import shutil
import statistics
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import psycopg
from psycopg.rows import dict_row

sys.path.insert(0, str(Path(__file__).resolve().parent))
from emporium_stats import store as stats  # noqa: E402
from emporium_stats import traffic  # noqa: E402
from emporium_stats.store.core import Store  # noqa: E402
from emporium_stats.store.dialect import DUCKDB  # noqa: E402
from emporium_stats.store.schema import EVENTS, create_all  # noqa: E402
from emporium_stats.store.sources import classify  # noqa: E402
from harness import DOCS, PROJECT, replace_section  # noqa: E402

VAR = Path(os.environ.get("BENCH_STATS_VAR_DIR", PROJECT / "var" / "bench-stats")).resolve()
HEADING = "## Store statistics"
SHOPS, DAYS, FIRST = 10, 30, date(2026, 5, 1)
ITEMS = 2000
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
# (label, function name, options); the range is the big shop's 30 days unless "mall".
QUERIES = [
    ("overview (with previous period)", "overview", {}),
    ("overview, mall of 10 shops", "overview", {"mall": True}),
    ("trend by day", "trend_by_day", {}),
    ("trend by hour", "trend_by_hour", {}),
    ("items, top 50 by views", "items", {"limit": 50}),
    ("unattended items", "unattended_items", {}),
    ("pages", "pages", {}),
    ("search keywords, top 20", "search_keywords", {}),
    ("regions (cities)", "regions", {}),
    ("sources", "sources", {}),
    ("real time (online, 15/30/60 min)", "realtime", {"now": True}),
    ("live feed, latest 20", "live_feed", {"now": True}),
]


# --- 1. ingestion ------------------------------------------------------------------------------


def ingestion(n_events: int) -> dict[str, float]:
    shops = [traffic.make_shop(1), traffic.make_shop(2)]
    per_day = max(50, n_events // 4 // 7)
    events = traffic.delivered_events(traffic.visits(shops, FIRST, 7, per_day, seed=1))[:n_events]
    batches = list(traffic.batches(events, 500))
    figures: dict[str, float] = {"events": len(events)}
    # Warm up: the first Arrow conversion imports half of pandas.
    stats.ingest_customer_events(stats.open_store("duckdb:///:memory:"), batches[0])
    for label, url in (("duckdb", f"duckdb://{VAR}/ingest.duckdb"), ("chdb", _chdb_url("ingest"))):
        Path(VAR / "ingest.duckdb").unlink(missing_ok=True)
        store = stats.open_store(url)
        started = time.perf_counter()
        stored = sum(stats.ingest_customer_events(store, batch) for batch in batches)
        figures[label] = stored / (time.perf_counter() - started)
        assert stored == len(events), (stored, len(events))
        if label == "duckdb":
            sample = traffic.delivered_events(traffic.visits(shops, FIRST, 1, 300, seed=2))[:1000]
            started = time.perf_counter()
            for event in sample:
                stats.ingest_customer_events(store, [event])
            figures["duckdb_row_by_row"] = len(sample) / (time.perf_counter() - started)
        _close(store)
    return figures


def _chdb_url(database: str) -> str:
    return f"chdb://{VAR / 'chdb'}?database={database}"


def _close(store: Store) -> None:
    getattr(store.engine, "drop", store.engine.close)()


# --- 2. the big data set, made inside DuckDB -----------------------------------------------------


def _lut(values: list[Any]) -> str:
    def literal(value: Any) -> str:
        if value is None:
            return "NULL"
        return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"

    return "[" + ", ".join(literal(v) for v in values) + "]"


def _entry_luts() -> dict[str, str]:
    """Entry referrer and utm of a visit, as lists to pick from (weights by repetition)."""
    entries: list[tuple[str | None, dict | None]] = []
    for kind, weight in traffic.SOURCE_MIX:
        for n in range(weight):
            if kind == "search":
                entries.append((traffic.SEARCH_REFERRERS[n % len(traffic.SEARCH_REFERRERS)], None))
            elif kind == "referral":
                entries.append((traffic.OTHER_REFERRERS[n % len(traffic.OTHER_REFERRERS)], None))
            elif kind == "campaign":
                source, campaign = traffic.CAMPAIGNS[n % len(traffic.CAMPAIGNS)]
                entries.append((None, {"source": source, "campaign": campaign}))
            else:
                entries.append((None, None))
    classes = [classify(ref, utm) for ref, utm in entries]
    return {
        "ref": _lut([ref for ref, _ in entries]),
        "utm_source": _lut([(utm or {}).get("source") for _, utm in entries]),
        "utm_campaign": _lut([(utm or {}).get("campaign") for _, utm in entries]),
        "source": _lut([c[0] for c in classes]),
        "source_name": _lut([c[1] for c in classes]),
        "campaign": _lut([c[2] for c in classes]),
    }


def _region_rows() -> list[tuple[str, str, str]]:
    rows = [("", "", "")] * 5 + list(traffic.FOREIGN)
    for province, cities, weight in traffic.REGIONS:
        rows += [("CN", province, city) for city in cities for _ in range(weight)]
    return rows


def _uuid_sql(expr: str) -> str:
    h = f"md5({expr})"
    return (
        f"substr({h},1,8)||'-'||substr({h},9,4)||'-4'||substr({h},14,3)||'-a'"
        f"||substr({h},18,3)||'-'||substr({h},21,12)"
    )


def generate(con: duckdb.DuckDBPyConnection, n_events: int, out: Path) -> None:
    """Write events, orders, order_lines and items of the big data set as Parquet files."""
    hour_list = [h for h, w in enumerate(traffic.HOUR_WEIGHTS) for _ in range(round(w * 4))]
    hours, entry, regions = _lut(hour_list), _entry_luts(), _region_rows()
    region = {
        k: _lut([r[i] for r in regions]) for i, k in enumerate(("country", "province", "city"))
    }
    visits = int(n_events / 4.3)
    people = visits // SHOPS // DAYS
    u = "(hash(v, '{0}') % 1000003) / 1000003.0"  # a deterministic uniform draw per visit
    uk = "(hash(v, k, '{0}') % 1000003) / 1000003.0"  # ... per page of a visit
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE visits AS
SELECT v, shop_n, day_n, person, pages,
       TIMESTAMP '{FIRST}' + to_days(day_n) + to_hours(hour) + to_seconds(sec) AS start_local,
       CASE WHEN {u.format("nosession")} < 0.03 THEN NULL ELSE substr(md5('s' || v), 1, 24) END AS session_id,
       1 + CAST(floor({u.format("entry")} * 100) AS INT) AS entry_n,
       1 + CAST(hash(shop_n, person, 'region') % {len(regions)} AS INT) AS region_n
FROM (
    SELECT v,
           CASE WHEN {u.format("shop")} < 0.5 THEN 0
                ELSE 1 + CAST(floor(({u.format("shop")} - 0.5) * 2 * {SHOPS - 1}) AS INT) END AS shop_n,
           CAST(floor({u.format("day")} * {DAYS}) AS INT) AS day_n,
           {hours}[1 + CAST(floor({u.format("hour")} * {len(hour_list)}) AS INT)] AS hour,
           CAST(floor({u.format("sec")} * 3600) AS INT) AS sec,
           CAST(floor({u.format("person")} * {max(people, 1)}) AS INT) AS person,
           CASE WHEN {u.format("bounce")} < 0.4 THEN 1
                ELSE least(15, 2 + CAST(floor(-ln(1 - {u.format("pages")}) / 0.35) AS INT)) END AS pages
    FROM range({visits}) AS t(v)
)""")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE pages AS
SELECT *, local_ts - INTERVAL 8 HOUR AS ts,
       {_uuid_sql("'shop' || shop_n")} AS shop_id,
       md5(shop_n || '|' || person || '|' || CAST(CAST(local_ts - INTERVAL 8 HOUR AS DATE) AS VARCHAR)) AS visitor_id,
       substr(md5(v || '-' || k), 1, 24) AS page_view_id,
       CASE WHEN kind = 'item' THEN {_uuid_sql("'item' || shop_n || '-' || rank")} END AS item_id
FROM (
    SELECT *, start_local + to_seconds(k * 47 + CAST(hash(v, k) % 40 AS INT)) AS local_ts,
           CASE WHEN {uk.format("kind")} < 0.6 THEN 'item'
                WHEN {uk.format("kind")} < 0.8 THEN 'shop_home'
                WHEN {uk.format("kind")} < 0.92 THEN 'shop_category'
                WHEN k = 0 OR {uk.format("kind")} < 0.97 THEN 'shop_search' ELSE 'cart' END AS kind,
           CAST(floor(pow({ITEMS}, {uk.format("rank")})) AS INT) AS rank,
           {uk.format("cart")} < 0.1 AS carted,
           {uk.format("buy")} < 0.035 AS bought
    FROM (SELECT *, unnest(range(pages)) AS k FROM visits)
)""")
    keywords = _lut(list(traffic.KEYWORDS))
    shared = f"""
    shop_id, visitor_id, session_id, coalesce(session_id, page_view_id) AS visit_id, page_view_id,
    CASE WHEN kind LIKE 'shop%' THEN 'shop' ELSE kind END AS page_type,
    CASE WHEN kind = 'item' THEN '/item/' || item_id || '/' WHEN kind = 'cart' THEN '/cart/'
         ELSE '/shop/s' || shop_n || '/' END AS page_path,
    item_id AS page_item_id,
    CASE WHEN kind = 'item' THEN 11 + rank % 5 END AS page_category_id,
    CASE WHEN kind = 'shop_category' THEN 1 + rank % 5 END AS page_shop_category_id,
    CASE WHEN kind = 'shop_search' THEN {keywords}[1 + rank % {len(traffic.KEYWORDS)}]
         END AS page_search,
    {region["country"]}[region_n] AS country, {region["province"]}[region_n] AS province,
    {region["city"]}[region_n] AS city"""
    first = "k = 0"
    view_source = ", ".join(
        f"CASE WHEN {first} THEN {entry[c]}[entry_n] ELSE {v} END AS {c}"
        for c, v in (
            ("source", "'referral'"),
            ("source_name", "'emporium.example'"),
            ("campaign", "''"),
        )
    )
    no_view = (
        "NULL AS referrer, 'direct' AS source, '' AS source_name, '' AS campaign,"
        " NULL AS utm_source, NULL AS utm_campaign"
    )
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE events AS
SELECT 'cev_' || md5(v || '-' || k || '-' || name) AS event_id, name, ts,
       CAST(ts + INTERVAL 8 HOUR AS DATE) AS day, hour(ts + INTERVAL 8 HOUR) AS hour, * EXCLUDE (name, ts)
FROM (
    SELECT 'page_viewed' AS name, ts, v, k, {shared},
           CASE WHEN {first} THEN {entry["ref"]}[entry_n] ELSE 'https://emporium.example/' END AS referrer,
           {view_source},
           CASE WHEN {first} THEN {entry["utm_source"]}[entry_n] END AS utm_source,
           CASE WHEN {first} THEN {entry["utm_campaign"]}[entry_n] END AS utm_campaign,
           NULL::BIGINT AS engaged_ms, NULL AS item_id, NULL::BIGINT AS sku_id, NULL::BIGINT AS quantity,
           NULL AS order_id, NULL::DECIMAL(12,2) AS total, NULL AS currency
    FROM pages
    UNION ALL
    SELECT 'engaged_time', ts + to_seconds(30), v, k, {shared}, {no_view},
           1 + CAST(floor(-ln(1 - {uk.format("engaged")}) * 25000) AS BIGINT), NULL, NULL, NULL, NULL, NULL, NULL
    FROM pages WHERE {uk.format("engaged_any")} < 0.95
    UNION ALL
    SELECT 'added_to_cart', ts + to_seconds(10), v, k, {shared}, {no_view},
           NULL, item_id, rank, 1 + rank % 3, NULL, NULL, NULL
    FROM pages WHERE kind = 'item' AND carted
    UNION ALL
    SELECT 'checkout_completed', ts + to_seconds(40), v, k, {shared}, {no_view},
           NULL, NULL, NULL, NULL, {_uuid_sql("'order' || v || '-' || k")}, 19.9 * (1 + rank % 3), 'CNY'
    FROM pages WHERE kind = 'item' AND carted AND bought
) LIMIT {n_events}""")
    # The store's column order, so every engine can load the file as it is.
    unused = ("utm_medium", "utm_term", "utm_content")
    columns = ", ".join(f"NULL::VARCHAR AS {c}" if c in unused else c for c, _ in EVENTS)
    con.execute(
        f"COPY (SELECT {columns} FROM events ORDER BY ts) TO '{out}/events.parquet' (FORMAT parquet)"
    )
    con.execute(f"""
COPY (SELECT order_id, shop_id, 'E' || substr(order_id, 1, 8) AS number,
             CASE WHEN paid THEN 'paid' ELSE 'pending_payment' END AS status,
             ts AS created_at, day AS created_day, hour AS created_hour,
             CASE WHEN paid THEN ts + INTERVAL 2 MINUTE END AS paid_at, total AS total_amount,
             'CNY' AS currency, coalesce(CASE WHEN paid THEN ts + INTERVAL 2 MINUTE END, ts) AS as_of
      FROM (SELECT *, hash(order_id) % 5 <> 0 AS paid FROM events WHERE name = 'checkout_completed'))
TO '{out}/orders.parquet' (FORMAT parquet)""")
    con.execute(f"""
COPY (SELECT e.order_id, e.shop_id, c.item_id, c.quantity, e.total
      FROM events AS e JOIN events AS c ON c.page_view_id = e.page_view_id AND c.name = 'added_to_cart'
      WHERE e.name = 'checkout_completed')
TO '{out}/order_lines.parquet' (FORMAT parquet)""")
    con.execute(f"""
COPY (SELECT {_uuid_sql("'shop' || s")} AS shop_id, {_uuid_sql("'item' || s || '-' || r")} AS item_id,
             'Item ' || r AS title, CASE WHEN hash(s, r) % 10 = 0 THEN 'stock_room' ELSE 'on_sale' END AS status,
             CAST(19.9 * (1 + r % 30) AS DECIMAL(12,2)) AS price, 'CNY' AS currency
      FROM range({SHOPS}) AS a(s), range(1, {ITEMS} + 1) AS b(r))
TO '{out}/items.parquet' (FORMAT parquet)""")


TABLES = ("events", "orders", "order_lines", "items")


def load_duckdb(data: Path) -> Store:
    (VAR / "stats.duckdb").unlink(missing_ok=True)
    store = stats.open_store(f"duckdb://{VAR}/stats.duckdb")
    for table in TABLES:
        store.engine.execute(
            f"INSERT INTO {table} SELECT * FROM read_parquet('{data}/{table}.parquet')"
        )
    store.engine.execute("CHECKPOINT")
    return store


def closed(data: Path) -> Store:
    """DuckDB once the app's nightly job has closed the 30 days: they are read from rollups."""
    store = load_duckdb(data)
    started = time.perf_counter()
    stats.close_days(store, FIRST + timedelta(DAYS))
    print(f"  closed {DAYS} days into rollups in {time.perf_counter() - started:.0f} s", flush=True)
    return store


def load_chdb(data: Path) -> Store:
    store = stats.open_store(_chdb_url("bench"))
    for table in TABLES:
        store.engine.execute(f"TRUNCATE TABLE {store.t(table)}")
        store.engine.execute(
            f"INSERT INTO {store.t(table)} SELECT * FROM file('{data}/{table}.parquet', Parquet)"
        )
    store.engine.execute(f"OPTIMIZE TABLE {store.t('events')} FINAL")
    return store


class PgEngine:
    """The store's plain SQL on PostgreSQL; only argMin has to be spelt another way."""

    dialect = DUCKDB  # its DDL types and timestamp literals are PostgreSQL's too
    ARG_MIN = re.compile(r"argMin\((\w+), \(ts, event_id\)\)")

    def __init__(self) -> None:
        self.con = psycopg.connect(PG_DSN, autocommit=True, row_factory=dict_row)

    def t(self, name: str) -> str:
        return f"stats_bench_{name}"

    def _sql(self, sql: str) -> str:
        return self.ARG_MIN.sub(r"(array_agg(\1 ORDER BY ts, event_id))[1]", sql)

    def execute(self, sql: str) -> None:
        self.con.execute(self._sql(sql))

    def rows(self, sql: str) -> list[dict]:
        rows = self.con.execute(self._sql(sql)).fetchall()
        for row in rows:
            for key, value in row.items():
                if isinstance(value, datetime) and value.tzinfo is None:
                    row[key] = value.replace(tzinfo=UTC)
        return rows

    def insert(self, table: str, data: Any) -> None:
        raise NotImplementedError

    def transaction(self):
        return self.con.transaction()

    def close(self) -> None:
        self.con.close()

    def drop(self) -> None:
        names = self.con.execute(
            "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stats\\_bench\\_%'"
        ).fetchall()
        for row in names:
            self.con.execute(f"DROP TABLE {row['tablename']}")
        self.con.close()


def load_postgres(con: duckdb.DuckDBPyConnection, data: Path) -> Store:
    engine = PgEngine()
    for row in engine.con.execute(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'stats\\_bench\\_%'"
    ).fetchall():
        engine.con.execute(f"DROP TABLE {row['tablename']}")
    create_all(engine)  # type: ignore[arg-type]
    for table in TABLES:
        csv = data / f"{table}.csv"
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{data}/{table}.parquet')) TO '{csv}' (HEADER)"
        )
        statement = f"COPY {engine.t(table)} FROM STDIN (FORMAT csv, HEADER)"
        with engine.con.cursor() as cur, cur.copy(statement) as copy, csv.open("rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        csv.unlink()
    engine.execute("CREATE INDEX ON stats_bench_events (shop_id, ts)")
    engine.execute("CREATE INDEX ON stats_bench_events (shop_id, day)")
    engine.execute("CREATE INDEX ON stats_bench_orders (shop_id, created_day)")
    engine.execute("ANALYZE")
    return Store(engine, ZoneInfo("Asia/Shanghai"), 90)  # type: ignore[arg-type]


# --- 3. the queries ----------------------------------------------------------------------------


def run_query(store: Store, function: str, options: dict, shops: list[str]) -> Any:
    options = dict(options)
    chosen = shops if options.pop("mall", False) else shops[:1]
    if options.pop("now", False):
        now = datetime(2026, 5, 30, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai, the evening peak
        return getattr(stats, function)(store, chosen, now, **options)
    start, end = FIRST, FIRST + timedelta(DAYS)
    return getattr(stats, function)(store, chosen, start, end, **options)


def time_queries(
    store: Store, shops: list[str], runs: int, answers: dict[str, Any]
) -> dict[str, float]:
    """p50 of each query; every engine must give the first engine's answer, figure for figure."""
    p50 = {}
    for label, function, options in QUERIES:
        took = []
        for _ in range(runs):
            started = time.perf_counter()
            answer = run_query(store, function, options, shops)
            took.append((time.perf_counter() - started) * 1000)
        if answers.setdefault(label, answer) != answer:
            raise SystemExit(f"The engines disagree on {label!r}.")
        p50[label] = statistics.median(took)
        print(f"    {label:<36} {p50[label]:9.1f} ms", flush=True)
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ingest-events", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-chdb", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(VAR / "chdb", ignore_errors=True)

    print(f"Ingestion of {args.ingest_events:,} generated events in batches of 500 ...", flush=True)
    ingest = ingestion(args.ingest_events)
    ratio = ingest["duckdb"] / ingest["duckdb_row_by_row"]
    print(f"  DuckDB {ingest['duckdb']:,.0f} events/s; one at a time {ingest['duckdb_row_by_row']:,.0f}"
          f" events/s ({ratio:.0f}× slower); chdb {ingest['chdb']:,.0f} events/s", flush=True)  # fmt: skip

    data = VAR / f"data-{args.events}"
    con = duckdb.connect()
    started = time.perf_counter()
    if not (data / "items.parquet").exists():
        data.mkdir(parents=True, exist_ok=True)
        print(f"Generating {args.events:,} events in DuckDB ...", flush=True)
        generate(con, args.events, data)
    count = con.execute(f"SELECT count(*) FROM read_parquet('{data}/events.parquet')").fetchone()[0]
    print(f"  {count:,} events ready in {time.perf_counter() - started:.0f} s", flush=True)
    shops = [
        r[0]
        for r in con.execute(
            f"SELECT shop_id FROM read_parquet('{data}/events.parquet') GROUP BY shop_id ORDER BY count(*) DESC"
        ).fetchall()
    ]
    results: dict[str, dict[str, float]] = {}
    answers: dict[str, Any] = {}
    loads: dict[str, float] = {}
    loaders = [("DuckDB", lambda: load_duckdb(data)), ("DuckDB closed days", lambda: closed(data))]
    if not args.skip_chdb:
        loaders.append(("chdb", lambda: load_chdb(data)))
    if not args.skip_postgres:
        loaders.append(("PostgreSQL", lambda: load_postgres(con, data)))
    for name, loader in loaders:
        started = time.perf_counter()
        print(f"Loading into {name} ...", flush=True)
        store = loader()
        loads[name] = time.perf_counter() - started
        print(f"  loaded in {loads[name]:.0f} s; queries (p50 of {args.runs}):", flush=True)
        try:
            results[name] = time_queries(store, shops, args.runs, answers)
        finally:
            _close(store)
    report = render(count, ingest, loads, results, args.runs)
    print()
    print(report)
    if args.write_docs:
        DOCS.write_text(replace_section(DOCS.read_text(), HEADING, report))
        print(f"Wrote {DOCS.relative_to(PROJECT)}")


def render(count: int, ingest: dict, loads: dict, results: dict, runs: int) -> str:
    names = list(results)
    head = "| query | " + " | ".join(f"{n} ms" for n in names) + " | " + " | ".join(
        f"{n}/DuckDB" for n in names[1:]
    ) + " |"  # fmt: skip
    lines = [head, "|---" * (1 + 2 * len(names) - 1) + "|"]
    for label, *_ in QUERIES:
        base = results["DuckDB"][label]
        cells = [f"{results[n][label]:,.1f}" for n in names]
        ratios = [f"{results[n][label] / base:,.1f}×" for n in names[1:]]
        lines.append(f"| {label} | " + " | ".join(cells + ratios) + " |")
    ratio = ingest["duckdb"] / ingest["duckdb_row_by_row"]
    intro = textwrap.dedent(f"""\
        `uv run python bench/stats.py` on this machine (2 cores shared, 23 GB RAM), {datetime.now(UTC):%Y-%m-%d}.

        **Ingestion** of {ingest["events"]:,} generated customer events, batches of 500 as
        `customer_events.collected` delivers them (validation, de-duplication by `event_id`, one
        Arrow insert per batch): DuckDB **{ingest["duckdb"]:,.0f} events/s**, chdb
        {ingest["chdb"]:,.0f} events/s. One event at a time into DuckDB: {ingest["duckdb_row_by_row"]:,.0f}
        events/s — batches are **{ratio:.0f}×** faster.

        **Queries** at **{count:,} events** (30 days, 10 shops, the first with half the traffic:
        queries read its 30 days, the mall overview all 10 shops), p50 of {runs} runs of the
        public `emporium_stats.store` functions — the same SQL on each engine (PostgreSQL: one
        plain table, B-tree indexes on (shop_id, ts) and (shop_id, day), default settings).
        Load times: {", ".join(f"{n} {s:.0f} s" for n, s in loads.items())}.
        """)  # fmt: skip
    return intro + "\n" + "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
