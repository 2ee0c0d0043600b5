"""The dashboard's headline figures and trends, for one shop or a brand's several, with the previous period."""

# SQL here is assembled from validated ids, dates and integers only (dialect.text refuses
# anything else); free text always travels as Arrow data, never inside the statement.
# ruff: noqa: S608

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from emporium_stats.store.core import Store
from emporium_stats.store.engines import Row
from emporium_stats.store.facts import FACTS
from emporium_stats.store.read import (
    check_range,
    days,
    previous_range,
    read_fact,
    shop_list,
    where,
)

COUNTS = ("page_views", "visitors", "visits", "bounces", "engaged_ms", "converted_visits",
          "cart_adds", "orders")  # fmt: skip


def ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def change(current: float, previous: float) -> float | None:
    """Percent change; None when there was nothing before to compare with."""
    return (current - previous) / previous * 100 if previous else None


def _figures(counts: dict[str, Any]) -> dict[str, Any]:
    figures = dict(counts)
    figures["avg_engaged_ms"] = ratio(counts["engaged_ms"], counts["visits"])
    figures["bounce_rate"] = ratio(counts["bounces"], counts["visits"])
    figures["conversion_rate"] = ratio(counts["converted_visits"], counts["visits"])
    return figures


def _empty() -> dict[str, Any]:
    return {**dict.fromkeys(COUNTS, 0), "sales": Decimal("0.00")}


def paid_orders(
    store: Store, shops: list[str], start: date, end: date, group: Sequence[str]
) -> list[Row]:
    """Orders created in the range (local days) that were paid, and their total amount."""
    grouping = ", ".join(group)
    return store.engine.rows(
        f"SELECT {grouping}, count(*) AS orders, sum(total_amount) AS sales"
        f" FROM {store.t('orders')}"
        f" WHERE {where(shops, start, end, 'created_day')} AND paid_at IS NOT NULL"
        f" GROUP BY {grouping}"
    )


def _per_shop(store: Store, shops: list[str], start: date, end: date) -> dict[str, dict[str, Any]]:
    counts = {shop: _empty() for shop in shops}
    for row in read_fact(store, FACTS["shop_day"], shops, start, end, ["shop_id"]):
        counts[row.pop("shop_id")].update(row)
    for row in paid_orders(store, shops, start, end, ["shop_id"]):
        counts[row["shop_id"]].update(orders=row["orders"], sales=Decimal(row["sales"]))
    return counts


def _total(per_shop: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total = _empty()
    for counts in per_shop.values():
        for key in total:
            total[key] += counts[key]
    return _figures(total)


def overview(store: Store, shop_ids: Sequence[str], start: date, end: date) -> dict[str, Any]:
    """Headline figures over [start, end) and the period of equal length before it.

    Returns {"current", "previous", "change" (percent or None), "shops" (each shop's current
    figures, for the mall edition), "start", "end", "previous_start", "previous_end"}.
    """
    shops = shop_list(shop_ids)
    check_range(start, end)
    before = previous_range(start, end)
    per_shop = _per_shop(store, shops, start, end)
    current, previous = _total(per_shop), _total(_per_shop(store, shops, *before))
    return {
        "start": start,
        "end": end,
        "previous_start": before[0],
        "previous_end": before[1],
        "current": current,
        "previous": previous,
        "change": {k: change(float(current[k]), float(previous[k])) for k in current},
        "shops": [{"shop_id": s, **_figures(c)} for s, c in per_shop.items()],
    }


def trend_by_day(store: Store, shop_ids: Sequence[str], start: date, end: date) -> list[Row]:
    """One row per local day: page views, visitors, visits, paid orders and sales."""
    shops = shop_list(shop_ids)
    check_range(start, end)
    rows = {d: {"day": d, **_empty()} for d in days(start, end)}
    for row in read_fact(store, FACTS["shop_day"], shops, start, end, ["day"]):
        rows[row["day"]].update(row)
    for row in paid_orders(store, shops, start, end, ["created_day"]):
        rows[row["created_day"]].update(orders=row["orders"], sales=Decimal(row["sales"]))
    keep = ("day", "page_views", "visitors", "visits", "orders", "sales")
    return [{k: r[k] for k in keep} for r in rows.values()]


def trend_by_hour(store: Store, shop_ids: Sequence[str], start: date, end: date) -> list[Row]:
    """One row per local hour of the range: page views, visitors and visits in it, paid orders."""
    shops = shop_list(shop_ids)
    check_range(start, end)
    empty = {"page_views": 0, "visitors": 0, "visits": 0, "orders": 0, "sales": Decimal("0.00")}
    rows = {
        (d, h): {"time": datetime.combine(d, time(h), store.tz), "day": d, "hour": h, **empty}
        for d in days(start, end)
        for h in range(24)
    }
    for row in read_fact(store, FACTS["shop_hour"], shops, start, end, ["day", "hour"]):
        rows[row["day"], row["hour"]].update(row)
    for row in paid_orders(store, shops, start, end, ["created_day", "created_hour"]):
        rows[row["created_day"], row["created_hour"]].update(
            orders=row["orders"], sales=Decimal(row["sales"])
        )
    return list(rows.values())
