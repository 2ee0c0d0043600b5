"""Reports over the books: profit and loss by month, the balance sheet, the reconciliation.

Sums run in SQL over each posting's amount in fen (integers, exact), then become `Decimal`
yuan. Income is stored negative (double entry); reports show it positive. A book is chosen by
the account's second part (`Expenses:Business:…`, `Expenses:Personal:…`), so "business",
"personal" or both together ("all").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypedDict

from emporium_sdk.models import BalanceTransactionOut

from emporium_books import books, cogs
from emporium_books.store import Store, from_cents

ZERO = Decimal("0.00")


def _book_clause(book: str) -> tuple[str, list[str]]:
    if book in ("business", "personal"):
        return " and p.account like ?", [f"%:{book.capitalize()}:%"]
    return "", []


@dataclass
class Month:
    month: str
    lines: dict[str, Decimal] = field(default_factory=dict)  # account → amount, as shown

    @property
    def income(self) -> Decimal:
        return sum((v for k, v in self.lines.items() if k.startswith("Income:")), ZERO)

    @property
    def expenses(self) -> Decimal:
        return sum((v for k, v in self.lines.items() if k.startswith("Expenses:")), ZERO)

    @property
    def profit(self) -> Decimal:
        return self.income - self.expenses

    @property
    def sales(self) -> Decimal:
        return self.lines.get(books.SALES, ZERO)

    @property
    def gross_margin(self) -> Decimal | None:
        """(sales − cost of goods) / sales, a percentage with one decimal."""
        if not self.sales:
            return None
        cost = self.lines.get(cogs.COGS, ZERO)
        return ((self.sales - cost) / self.sales * 100).quantize(Decimal("0.1"))


@dataclass
class ProfitAndLoss:
    months: list[Month]
    accounts: list[str]

    def total(self, account: str) -> Decimal:
        return sum((m.lines.get(account, ZERO) for m in self.months), ZERO)


def profit_and_loss(
    store: Store, shop_id: str, *, book: str = "all", since: str = "", until: str = ""
) -> ProfitAndLoss:
    """Income and expenses by month (YYYY-MM), oldest first; `since`/`until` are months."""
    clause, args = _book_clause(book)
    if since:
        clause += " and t.day >= ?"
        args.append(f"{since}-01")
    if until:
        clause += " and t.day < ?"
        args.append(f"{until}-32")  # any day of `until` sorts below its "32nd"
    with store.connect() as db:
        rows = db.execute(
            "select substr(t.day, 1, 7), p.account, sum(p.cents) from posting p "  # noqa: S608
            "join txn t on t.id = p.txn_id where t.shop_id = ? and "
            f"(p.account like 'Income:%' or p.account like 'Expenses:%'){clause} "
            "group by 1, 2 order by 1, 2",
            (shop_id, *args),
        ).fetchall()
    months: dict[str, Month] = {}
    accounts: set[str] = set()
    for month, account, cents in rows:
        amount = from_cents(cents)
        shown = -amount if account.startswith("Income:") else amount
        months.setdefault(month, Month(month)).lines[account] = shown
        accounts.add(account)
    ordered = sorted(accounts, key=lambda a: (not a.startswith("Income:"), a))
    return ProfitAndLoss([months[m] for m in sorted(months)], ordered)


@dataclass
class Spending:
    month: str
    previous: str
    rows: list[tuple[str, Decimal, Decimal]]  # (account, this month, the month before)

    @property
    def total(self) -> Decimal:
        return sum((now for _a, now, _before in self.rows), ZERO)


def spending(pnl: ProfitAndLoss, month: str = "") -> Spending | None:
    """Expenses by category in `month` (default: the latest) against the month before."""
    if not pnl.months:
        return None
    index = next((i for i, m in enumerate(pnl.months) if m.month == month), len(pnl.months) - 1)
    now = pnl.months[index]
    year, number = (int(part) for part in now.month.split("-"))
    previous = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    before = next((m for m in pnl.months if m.month == previous), Month(previous))
    accounts = sorted(
        {a for a in [*now.lines, *before.lines] if a.startswith("Expenses:")},
        key=lambda a: -now.lines.get(a, ZERO),
    )
    rows = [(a, now.lines.get(a, ZERO), before.lines.get(a, ZERO)) for a in accounts]
    return Spending(now.month, previous, rows)


@dataclass
class BalanceSheet:
    day: str
    assets: dict[str, Decimal]
    liabilities: dict[str, Decimal]
    equity: dict[str, Decimal]
    earnings: Decimal  # income less expenses to date, not yet closed into equity

    @property
    def total_assets(self) -> Decimal:
        return sum(self.assets.values(), ZERO)

    @property
    def total_claims(self) -> Decimal:
        return (
            sum(self.liabilities.values(), ZERO) + sum(self.equity.values(), ZERO) + self.earnings
        )


def balance_sheet(store: Store, shop_id: str, *, day: date, book: str = "all") -> BalanceSheet:
    """What the shop owns and owes at the end of `day`; assets = liabilities + equity + earnings."""
    clause, args = _book_clause(book)
    with store.connect() as db:
        rows = db.execute(
            "select p.account, sum(p.cents) from posting p join txn t on t.id = p.txn_id "  # noqa: S608
            f"where t.shop_id = ? and t.day <= ?{clause} group by 1 order by 1",
            (shop_id, day.isoformat(), *args),
        ).fetchall()
    sheet = BalanceSheet(day.isoformat(), {}, {}, {}, ZERO)
    for account, cents in rows:
        amount = from_cents(cents)
        root = account.split(":", 1)[0]
        if root == "Assets":
            sheet.assets[account] = amount
        elif root == "Liabilities":
            sheet.liabilities[account] = -amount
        elif root == "Equity":
            sheet.equity[account] = -amount
        else:
            sheet.earnings -= amount
    return sheet


class JournalFilters(TypedDict):
    """The journal's filters, as a drill-down link names them (see `journal`)."""

    account: str
    month: str
    tag: str
    kind: str
    since: str
    until: str
    flow: str
    book: str


KINDS = {"income": ("Income:%",), "expenses": ("Expenses:%",),
         "earnings": ("Income:%", "Expenses:%")}  # fmt: skip
FLOW_ROOTS = {"income": "Income", "expenses": "Expenses", "owner": "Equity"}
# What a transaction's cash was for (as `cash_flow` tells it): the root of its first non-cash
# account, income and expenses first, then the largest.
_FLOW_ROOT = (
    "(select substr(q.account, 1, instr(q.account, ':') - 1) from posting q where "
    "q.txn_id = t.id and q.account not in ({marks}) order by q.account like 'Income:%' or "
    "q.account like 'Expenses:%' desc, abs(q.cents) desc, q.account limit 1)"
)


def journal(
    store: Store,
    shop_id: str,
    *,
    account: str = "",
    month: str = "",
    tag: str = "",
    kind: str = "",
    since: str = "",
    until: str = "",
    flow: str = "",
    book: str = "all",
    offset: int = 0,
    limit: int | None = None,
) -> list[tuple[str, str, str, str, Decimal]]:
    """(day, narration, source, account, amount) of the postings behind a figure; `tag` is
    "necessary" or "accidental" for the tag view's figures. `kind` ("income", "expenses",
    "earnings") takes every account of that kind (a total's postings); `since` (YYYY-MM) and
    `until` (YYYY-MM, or YYYY-MM-DD for a balance at the end of that day) bound the days;
    `flow` (a cash-flow column: "income", "expenses", "owner", "other", "net") takes the cash
    postings of the transactions `cash_flow` counts in that column. `book` keeps the postings of
    one book, as the report the figure came from counted them; `offset` and `limit` page it
    (newest first; no limit is every posting, as the CSV has them)."""
    clause, args = _book_clause(book)
    if tag == "accidental":
        clause += " and t.tag = 'accidental'"
    elif tag == "necessary":
        clause += " and coalesce(t.tag, '') <> 'accidental'"
    if account:
        clause += " and p.account = ?"
        args.append(account)
    if month:
        clause += " and substr(t.day, 1, 7) = ?"
        args.append(month)
    if kind in KINDS:
        clause += " and (" + " or ".join("p.account like ?" for _ in KINDS[kind]) + ")"
        args += KINDS[kind]
    if since:
        clause += " and t.day >= ?"
        args.append(f"{since[:7]}-01")
    if until:
        clause += " and t.day <= ?" if len(until) == 10 else " and t.day < ?"
        args.append(until if len(until) == 10 else f"{until}-32")
    if flow in (*FLOW_ROOTS, "other", "net"):
        marks = ",".join("?" * len(CASH))
        root = _FLOW_ROOT.format(marks=marks)
        clause += f" and p.account in ({marks}) and {root} is not null"
        args += [*CASH, *CASH]
        if flow in FLOW_ROOTS:
            clause += f" and {root} = ?"
            args += [*CASH, FLOW_ROOTS[flow]]
        elif flow == "other":
            clause += f" and {root} not in ('Income', 'Expenses', 'Equity')"
            args += CASH
    with store.connect() as db:
        rows = db.execute(
            "select t.day, t.narration, coalesce(t.source, ''), p.account, p.cents from posting p "  # noqa: S608
            f"join txn t on t.id = p.txn_id where t.shop_id = ?{clause} "
            "order by t.day desc, t.id desc, p.rowid limit ? offset ?",
            (shop_id, *args, -1 if limit is None else limit, offset),
        ).fetchall()
    return [(r[0], r[1], r[2], r[3], from_cents(r[4])) for r in rows]


@dataclass
class Reconciliation:
    day: str
    books: Decimal  # the app's platform-balance account at the end of the day
    platform: Decimal  # what the platform reports for the same moment
    missing: list[BalanceTransactionOut]  # on the platform, not in the books
    differing: list[tuple[BalanceTransactionOut, Decimal]]  # booked with another amount
    unexplained: list[tuple[str, str, Decimal]]  # in the books only: (day, narration, amount)
    since: str | None = None  # the lists cover movements from this day (None: all)

    @property
    def difference(self) -> Decimal:
        return self.books - self.platform

    @property
    def older(self) -> Decimal:
        """What the lists do not explain: a difference from before `since` (zero without one)."""
        explained = (
            sum((amount for _d, _n, amount in self.unexplained), ZERO)
            + sum((booked - Decimal(m.amount.amount) for m, booked in self.differing), ZERO)
            - sum((Decimal(m.amount.amount) for m in self.missing), ZERO)
        )
        return self.difference - explained


def reconcile(
    store: Store,
    shop_id: str,
    movements: list[BalanceTransactionOut],
    *,
    day: date,
    platform_now: Decimal | None = None,
    since: date | None = None,
) -> Reconciliation:
    """The books' platform balance against the platform's at the end of `day` (China), and the
    transactions that make the difference. `movements` are the platform's up to that day; the
    platform's balance then is the last one's balance after (or `platform_now` for today).
    With `since`, `movements` may start that day and the lists cover only what follows it (a
    busy shop's page reads a month, not its whole history); `older` then shows whether a
    difference remains from before."""
    upto = [m for m in movements if books.day_of(m.created_at) <= day]
    platform = Decimal(upto[-1].balance_after.amount) if upto else ZERO
    if platform_now is not None:
        platform = platform_now
    booked: dict[str, Decimal] = {}
    unexplained_rows = []
    total = ZERO
    with store.connect() as db:
        for source, txn_day, narration, cents in db.execute(
            "select t.source, t.day, t.narration, sum(p.cents) from posting p join txn t "
            "on t.id = p.txn_id where t.shop_id = ? and p.account = ? and t.day <= ? "
            "group by t.id order by t.day, t.id",
            (shop_id, books.PLATFORM_BALANCE, day.isoformat()),
        ):
            amount = from_cents(cents)
            total += amount
            if since is not None and txn_day < since.isoformat():
                continue
            if source and source.startswith("btx_"):
                booked[source] = amount
            else:
                unexplained_rows.append((txn_day, narration, amount))
    missing, differing = [], []
    for movement in upto:
        if since is not None and books.day_of(movement.created_at) < since:
            continue
        amount = Decimal(movement.amount.amount)
        if movement.id not in booked:
            missing.append(movement)
        elif booked[movement.id] != amount:
            differing.append((movement, booked[movement.id]))
    return Reconciliation(day.isoformat(), total, platform, missing, differing, unexplained_rows,
                          since.isoformat() if since else None)  # fmt: skip


def necessary_and_accidental(
    store: Store, shop_id: str, month: str, *, book: str = "all"
) -> tuple[Decimal, Decimal]:
    """A month's spending the seller needed, and what she marked as accidental (avoidable)."""
    clause, args = _book_clause(book)
    with store.connect() as db:
        rows = dict(db.execute(
            "select t.tag = 'accidental', sum(p.cents) from posting p join txn t on t.id = "  # noqa: S608
            "p.txn_id where t.shop_id = ? and p.account like 'Expenses:%' and "
            f"substr(t.day, 1, 7) = ?{clause} group by 1",
            (shop_id, month, *args),
        ).fetchall())  # fmt: skip
    return from_cents(rows.get(0)), from_cents(rows.get(1))


# Accounts that hold money the seller can spend: the cash flow is their movement.
CASH = ("Assets:Business:Platform:Balance", "Assets:Business:Bank", "Assets:Business:Alipay",
        "Assets:Personal:Cash", "Assets:Personal:Bank", "Assets:Personal:Alipay")  # fmt: skip


def cash_flow(
    store: Store, shop_id: str, *, book: str = "all"
) -> list[tuple[str, dict[str, Decimal]]]:
    """Per month, the cash that came in or went out, by what it was for: income, expenses,
    the owner (draws), other assets (stock, escrow); moves between cash accounts cancel out.
    An opening balance is where the cash started, not a flow."""
    own = store.labels(shop_id)  # paying accounts the seller added (WeChat Pay, a bank card)
    added = [n for n, _b, kind in store.accounts(shop_id) if kind == "Assets" and n in own]
    cash = [a for a in (*CASH, *added) if book == "all" or f":{book.capitalize()}:" in a]
    marks = ",".join("?" * len(cash))
    # In one book, what the cash was for is found among that book's own accounts.
    within = f"%:{book.capitalize()}:%" if book in ("business", "personal") else "%"
    # Each transaction's cash and what it was for, summed by month and kind in SQL: a year of a
    # busy shop is 100,000 transactions, a dozen months (docs/performance.md, "Books").
    with store.connect() as db:
        rows = db.execute(
            "select month, root, sum(cash) from (select substr(t.day, 1, 7) as month, "  # noqa: S608
            "(select substr(q.account, 1, instr(q.account, ':') - 1) "
            f"from posting q where q.txn_id = t.id and q.account not in ({marks}) "
            "and q.account like ? order by q.account like 'Income:%' or q.account like "
            "'Expenses:%' desc, abs(q.cents) desc, q.account limit 1) as root, "
            f"sum(case when p.account in ({marks}) then p.cents else 0 end) as cash "
            "from txn t join posting p on p.txn_id = t.id where t.shop_id = ? "
            "and coalesce(t.source, '') not like 'opening:%' "
            "group by t.day, t.id) where cash != 0 group by 1, 2",
            (*cash, within, *cash, shop_id),
        ).fetchall()
    months: dict[str, dict[str, Decimal]] = {}
    for month, root, cents in rows:
        if not cents or root is None:
            continue
        kind = {"Income": "income", "Expenses": "expenses", "Equity": "owner"}.get(root, "other")
        figures = months.setdefault(month, {"income": ZERO, "expenses": ZERO, "owner": ZERO,
                                            "other": ZERO, "net": ZERO})  # fmt: skip
        figures[kind] += from_cents(cents)
        figures["net"] += from_cents(cents)
    return sorted(months.items())


def tags_by_category(
    store: Store, shop_id: str, month: str, *, book: str = "all"
) -> list[tuple[str, Decimal, Decimal]]:
    """A month's spending per category split into (account, necessary, accidental), largest
    first; the two columns sum to `necessary_and_accidental`."""
    clause, args = _book_clause(book)
    with store.connect() as db:
        rows = db.execute(
            "select p.account, sum(case when coalesce(t.tag, '') = 'accidental' then 0 "  # noqa: S608
            "else p.cents end), sum(case when t.tag = 'accidental' then p.cents else 0 end) "
            "from posting p join txn t on t.id = p.txn_id where t.shop_id = ? and "
            f"p.account like 'Expenses:%' and substr(t.day, 1, 7) = ?{clause} group by 1",
            (shop_id, month, *args),
        ).fetchall()
    split = [(account, from_cents(n), from_cents(a)) for account, n, a in rows]
    return sorted(split, key=lambda row: (-(row[1] + row[2]), row[0]))
