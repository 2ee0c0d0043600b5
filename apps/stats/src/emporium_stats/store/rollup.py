"""The nightly job: roll raw events of old days up into daily facts, then drop the raw rows."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from datetime import date, timedelta

from emporium_stats.store.core import Store, raw_from, rolled_until, set_state
from emporium_stats.store.dialect import day
from emporium_stats.store.facts import FACTS


def rollup(store: Store, which: date) -> None:
    """(Re)compute every daily fact of one local day, all shops, from its raw events."""
    span = f"day >= {day(which)} AND day < {day(which + timedelta(1))}"
    with store.engine.transaction():
        for fact in FACTS.values():
            columns = ", ".join(["shop_id", "day", *(k for k, _ in fact.keys), *fact.measures])
            store.engine.execute(f"DELETE FROM {store.t(fact.table)} WHERE {span}")
            store.engine.execute(
                f"INSERT INTO {store.t(fact.table)} ({columns})"
                f" SELECT {columns} FROM ({fact.sql(store.t('events'), span)}) AS f"
            )


def prune(store: Store, today: date) -> list[date]:
    """Keep `raw_days` days of raw events before `today`; roll up and delete older days.

    Rollups are written first and `raw_from` moved next, so a crash at any point leaves every
    day answered from one complete source. Returns the days rolled up.
    """
    cutoff = today - timedelta(store.raw_days)
    known = raw_from(store)
    if known is not None and known >= cutoff:
        return []
    found = store.engine.rows(
        f"SELECT DISTINCT day FROM {store.t('events')} WHERE day < {day(cutoff)} ORDER BY day"
    )
    rolled = [r["day"] for r in found]
    for which in rolled:
        rollup(store, which)
    set_state(store, "raw_from", cutoff.isoformat())
    closed = rolled_until(store)
    if closed is None or closed < cutoff:
        set_state(store, "rolled_until", cutoff.isoformat())
    store.engine.execute(f"DELETE FROM {store.t('events')} WHERE day < {day(cutoff)}")
    return rolled


def close_days(store: Store, today: date) -> list[date]:
    """Roll up every day before `today` not yet closed, so dashboards read one row per shop and
    day for them instead of their raw events (which stay, for `raw_days`, to re-roll a day a late
    event arrives for). Rollups first, then the mark: a crash leaves the old answer complete."""
    since = rolled_until(store) or raw_from(store)
    if since is None:
        # ORDER BY + LIMIT, not min(): ClickHouse's min over no rows is 1970-01-01, not NULL.
        first = store.engine.rows(f"SELECT day FROM {store.t('events')} ORDER BY day LIMIT 1")
        since = first[0]["day"] if first else today
    closing = []
    which = since
    while which < today:
        rollup(store, which)
        closing.append(which)
        which += timedelta(1)
    if closing or rolled_until(store) is None:
        set_state(store, "rolled_until", max(since, today).isoformat())
    return closing


def reroll_late(store: Store, days: set[date]) -> None:
    """Events arrived for days already closed (a feed caught up after downtime): roll them again."""
    closed = rolled_until(store)
    for which in sorted(d for d in days if closed is not None and d < closed):
        rollup(store, which)
