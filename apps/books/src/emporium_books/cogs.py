"""Cost of goods: the seller's purchase cost per SKU, and the cost booked with each sale.

The app keeps each order's lines (from `GET /orders` and the `order.paid` webhook) by order
number. When a settlement is booked and every SKU of its order has a cost, one more transaction
moves that cost from inventory to cost of goods sold, with the source `cogs:<btx id>` — so it is
booked once whatever runs it (the catch-up, a webhook, the seller saving a cost later).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from emporium_sdk import Client
from emporium_sdk.models import OrderOut

from emporium_books.books import TZ
from emporium_books.money import parse_amount
from emporium_books.store import Draft, Leg, Store

COGS = "Expenses:Business:Cost-of-Goods"
INVENTORY = "Assets:Business:Inventory"


@dataclass(frozen=True)
class Sku:
    sku_id: int
    title: str
    label: str
    cost: Decimal | None
    sold: int
    revenue: Decimal
    settled: int = 0  # units in orders whose settlement is booked (their cost is booked too)
    settled_revenue: Decimal = Decimal("0.00")  # what those lines sold for

    @property
    def cost_of_goods(self) -> Decimal | None:
        """The settled units' cost; None until the seller enters a unit cost."""
        return None if self.cost is None else self.cost * self.settled

    @property
    def margin(self) -> Decimal | None:
        """Gross margin on the settled sales: their revenue less their cost of goods."""
        cost = self.cost_of_goods
        return None if cost is None else self.settled_revenue - cost

    @property
    def margin_pct(self) -> Decimal | None:
        """The margin as a percentage of the settled revenue, one decimal."""
        margin = self.margin
        if margin is None or not self.settled_revenue:
            return None
        return (margin / self.settled_revenue * 100).quantize(Decimal("0.1"))


def keep_order(store: Store, shop_id: str, order: OrderOut) -> None:
    """Remember an order's lines (SKU, quantity, total) under its number, and where it stands
    (paid, refunded: what escrow holds for it, see `escrow`)."""
    with store.connect() as db:
        if getattr(order, "id", None) is not None:
            db.execute(
                "insert into order_state (shop_id, number, order_id, status, paid_at, total, "
                "refunded) values (?, ?, ?, ?, ?, ?, ?) on conflict (shop_id, number) do update "
                "set status = excluded.status, paid_at = excluded.paid_at, "
                "refunded = excluded.refunded",
                (shop_id, order.number, order.id, order.status,
                 order.paid_at.isoformat() if order.paid_at else None,
                 str(order.total_amount.amount), str(order.refunded_amount.amount)),
            )  # fmt: skip
        db.executemany(
            "insert or ignore into order_line (shop_id, order_number, created_at, sku_id, title, "
            "sku_label, quantity, total) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(shop_id, order.number, order.created_at.isoformat(), line.sku_id, line.title,
              line.sku_label, line.quantity, str(line.total.amount)) for line in order.lines],
        )  # fmt: skip


def sync_orders(client: Client, store: Store, shop_id: str) -> int:
    """Read the orders created since the newest one kept (a day's overlap); how many read."""
    with store.connect() as db:
        newest = db.execute(
            "select max(created_at) from order_line where shop_id = ?", (shop_id,)
        ).fetchone()[0]
    since = datetime.fromisoformat(newest) - timedelta(days=1) if newest else None
    count = 0
    for order in client.orders.list(limit=100, created_after=since):
        keep_order(store, shop_id, order)
        count += 1
    return count


def keep_order_event(store: Store, shop_id: str, data: dict[str, Any]) -> None:
    order = data.get("order")
    if isinstance(order, dict):
        keep_order(store, shop_id, OrderOut.model_validate(order))


def set_cost(store: Store, shop_id: str, sku_id: int, text: str) -> Decimal:
    """The seller's purchase cost of one SKU (a positive amount, two decimals at most)."""
    cost = parse_amount(text)
    with store.connect() as db:
        db.execute(
            "insert into sku_cost (shop_id, sku_id, cost) values (?, ?, ?) "
            "on conflict (shop_id, sku_id) do update set cost = excluded.cost",
            (shop_id, sku_id, str(cost)),
        )
    return cost


def skus(store: Store, shop_id: str, month: str = "") -> list[Sku]:
    """Every SKU the shop has sold, with its cost (if entered), units sold and revenue, and the
    same for its settled orders, on which the margin is counted (as the books count it).
    With `month` (YYYY-MM) the figures are that month's: units sold in orders placed in it, and
    settled units of the orders whose settlement (and so cost of goods) the books date in it, as
    the month's P&L counts them; every SKU stays listed, so its cost can be entered."""
    with store.connect() as db:
        settled_orders = {
            number for number, day in db.execute(
                "select substr(narration, 21), day from txn where shop_id = ? and narration like "
                "'Settlement of order %'", (shop_id,)) if not month or day[:7] == month
        }  # fmt: skip
        rows = db.execute(
            "select l.sku_id, l.title, l.sku_label, c.cost, l.quantity, l.total, l.order_number, "
            "coalesce(l.created_at, '') from order_line l left join sku_cost c on "
            "c.shop_id = l.shop_id and c.sku_id = l.sku_id where l.shop_id = ? "
            "order by l.sku_id, l.rowid",
            (shop_id,),
        ).fetchall()
    found: dict[int, Sku] = {}
    for sku_id, title, label, cost, quantity, total, number, created in rows:
        was = found.get(sku_id) or Sku(sku_id, title, label, Decimal(cost) if cost else None, 0,
                                       Decimal("0.00"))  # fmt: skip
        sold = not month or _month_of(created) == month
        settled = number in settled_orders
        found[sku_id] = replace(
            was, title=max(was.title, title), label=max(was.label, label),
            sold=was.sold + (quantity if sold else 0),
            revenue=was.revenue + (Decimal(total) if sold else 0),
            settled=was.settled + (quantity if settled else 0),
            settled_revenue=was.settled_revenue + (Decimal(total) if settled else 0),
        )  # fmt: skip
    return sorted(found.values(), key=lambda s: (s.title, s.sku_id))


def _month_of(created: str) -> str:
    """The month (in the books' time zone, like their days) of an order's creation time."""
    try:
        return f"{datetime.fromisoformat(created).astimezone(TZ):%Y-%m}"
    except ValueError:
        return created[:7]


def post_cogs(store: Store, shop_id: str) -> int:
    """Book the cost of every settled order whose lines and costs are known; how many new."""
    with store.connect() as db:
        settlements = db.execute(
            "select t.source, t.day, substr(t.narration, 21) from txn t where t.shop_id = ? "
            "and t.narration like 'Settlement of order %' and not exists (select 1 from txn c "
            "where c.shop_id = t.shop_id and c.source = 'cogs:' || t.source)",
            (shop_id,),
        ).fetchall()
        costs = {
            sku: Decimal(cost)
            for sku, cost in db.execute(
                "select sku_id, cost from sku_cost where shop_id = ?", (shop_id,)
            )
        }
        lines: dict[str, list[tuple[int, int]]] = {}
        for number, sku, quantity in db.execute(
            "select order_number, sku_id, quantity from order_line where shop_id = ?", (shop_id,)
        ):
            lines.setdefault(number, []).append((sku, quantity))
    drafts = []
    for source, day, number in settlements:
        sold = lines.get(number)
        if not sold or any(sku not in costs for sku, _ in sold):
            continue  # booked later, once the order and every cost are known
        cost = sum((costs[sku] * quantity for sku, quantity in sold), Decimal("0.00"))
        drafts.append(Draft(source=f"cogs:{source}", day=day,
                            narration=f"Cost of goods, order {number}", book="business",
                            legs=[Leg(COGS, cost), Leg(INVENTORY, -cost)], category=COGS))  # fmt: skip
    return store.record_all(shop_id, drafts) if drafts else 0


SKU_COLUMNS = ("sku_id", "sku", "sku id", "规格id", "skuid")
COST_COLUMNS = ("cost", "unit cost", "成本", "单位成本", "进货价")


def import_costs(
    store: Store, shop_id: str, content: bytes
) -> tuple[int, list[tuple[int, str, str]]]:
    """Unit costs from a CSV (UTF-8 or GBK) with a SKU id and a cost column: all saved, or none
    with the rows' errors (row number, code, value). Costs of SKUs not sold yet are kept too."""
    import csv
    import io

    from emporium_books.money import BadInput
    from emporium_books.statements import decode

    text, _encoding = decode(content)
    lines = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in (lines[0] if lines else [])]
    sku_at = next((header.index(n) for n in SKU_COLUMNS if n in header), None)
    cost_at = next((header.index(n) for n in COST_COLUMNS if n in header), None)
    if sku_at is None or cost_at is None:
        return 0, [(1, "header_missing", "")]
    costs: dict[int, Decimal] = {}
    problems: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        cells = [*line, "", ""]
        sku_text, cost_text = cells[sku_at].strip(), cells[cost_at].strip()
        if not sku_text.isdigit():
            problems.append((number, "sku_unreadable", sku_text))
            continue
        try:
            costs[int(sku_text)] = parse_amount(cost_text)
        except BadInput as error:
            problems.append((number, error.code, cost_text))
    if problems:
        return 0, problems
    with store.connect() as db:
        db.executemany(
            "insert into sku_cost (shop_id, sku_id, cost) values (?, ?, ?) "
            "on conflict (shop_id, sku_id) do update set cost = excluded.cost",
            [(shop_id, sku, str(cost)) for sku, cost in costs.items()],
        )
    return len(costs), []
