"""The books app's own storage (SQLite): shops, accounts, transactions and their postings.

Amounts are stored as decimal strings and added in Python (`Decimal`), never as SQL floats.
A transaction from the platform carries its source id (`btx_…`), unique per shop: recording it
twice writes nothing the second time, so a replayed webhook or an overlapping catch-up never
doubles a figure.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SCHEMA = """
create table if not exists shop (
    shop_id text primary key, name text not null, installed integer not null default 1,
    cursor text, backfilled integer not null default 0, seen integer not null default 0
);
create table if not exists account (
    shop_id text not null, name text not null, book text not null, kind text not null,
    primary key (shop_id, name)
);
create table if not exists txn (
    id integer primary key, shop_id text not null, source text, day text not null,
    payee text not null default '', narration text not null default '', book text not null,
    category text not null default ''
);
create index if not exists txn_day on txn (shop_id, day);
create unique index if not exists txn_source on txn (shop_id, source) where source is not null;
create table if not exists posting (
    txn_id integer not null references txn (id) on delete cascade, account text not null,
    amount text not null
);
create index if not exists posting_txn on posting (txn_id);
create table if not exists recurring (
    id integer primary key, shop_id text not null, name text not null, day_of_month integer
    not null, amount text not null, account text not null, pay_from text not null,
    start_month text not null, active integer not null default 1
);
create table if not exists sku_cost (
    shop_id text not null, sku_id integer not null, cost text not null,
    primary key (shop_id, sku_id)
);
create table if not exists order_line (
    shop_id text not null, order_number text not null, created_at text not null,
    sku_id integer not null, title text not null, sku_label text not null,
    quantity integer not null, total text not null
);
create unique index if not exists order_line_key on order_line (shop_id, order_number, sku_id);
create table if not exists upload (
    id integer primary key, shop_id text not null, account text not null,
    content blob not null, created text not null default current_timestamp
);
create table if not exists order_state (
    shop_id text not null, number text not null, order_id text not null, status text not null,
    paid_at text, total text not null, refunded text not null,
    primary key (shop_id, number)
);
create table if not exists budget (
    shop_id text not null, account text not null, amount text not null,
    primary key (shop_id, account)
);
create table if not exists statement (
    seq integer primary key, shop_id text not null, id text not null, day text not null,
    body text not null
);
create unique index if not exists statement_id on statement (shop_id, id);
create index if not exists statement_day on statement (shop_id, day);
create table if not exists import_rule (
    id integer primary key, shop_id text not null, pattern text not null, account text not null
);
create table if not exists learned (
    shop_id text not null, payee text not null, account text not null,
    primary key (shop_id, payee)
);
"""
# Each posting also keeps its amount in fen (cents), so reports add them up in SQL exactly.
CENTS_COLUMN = "alter table posting add column cents integer"


@dataclass(frozen=True)
class Shop:
    shop_id: str
    name: str
    installed: bool
    cursor: str | None
    backfilled: bool
    seen: int
    plan: str = "free"  # "free" or "pro": what the shop chose in the market
    statement_cursor: str | None = None  # where the copy of the platform's statement ends


@dataclass(frozen=True)
class Leg:
    account: str
    amount: Decimal


@dataclass(frozen=True)
class Txn:
    id: int
    source: str | None
    day: str
    narration: str
    book: str
    legs: tuple[Leg, ...]


def to_cents(amount: Decimal) -> int:
    return int(amount.scaleb(2).to_integral_value())


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Draft:
    """One transaction to write (see `Store.record_all`)."""

    source: str | None
    day: str
    narration: str
    book: str
    legs: list[Leg]
    category: str = ""
    payee: str = ""
    tag: str = ""  # "accidental" for spending the seller marks as avoidable


class Unbalanced(ValueError):
    """A transaction whose legs do not sum to zero — a bug in the rules, never written."""


# Each book's equity account for money between the owner's two books (see `expenses.read_draw`).
BOOK_DRAWS = {"Business": "Equity:Business:Draws", "Personal": "Equity:Personal:Draws"}
# Stock bought is inventory (an asset), costed at settlement (`cogs.post_cogs`), not an expense.
STOCK_EXPENSE, INVENTORY = "Expenses:Business:Stock", "Assets:Business:Inventory"


def per_book(legs: list[Leg]) -> list[Leg]:
    """The legs, plus what makes each book balance alone when they touch both books.

    A shop expense paid from a household account is the owner putting money into the shop: the
    shop's draws go down (a contribution, as a draw "back"), the household's capital from the
    shop goes down too; the reverse for household spending paid by the shop (a draw). Legs of
    one book, or of an account in neither book, are returned as they are."""
    sums: dict[str, Decimal] = {}
    for leg in legs:
        parts = leg.account.split(":")
        if len(parts) > 2 and parts[1] in BOOK_DRAWS:
            sums[parts[1]] = sums.get(parts[1], Decimal("0.00")) + leg.amount
    if len(sums) < 2 or sum(sums.values()) != 0 or not any(sums.values()):
        return legs
    return [*legs, *(Leg(BOOK_DRAWS[book], -total) for book, total in sums.items() if total)]


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._local = threading.local()
        with self._connect() as db:
            # WAL: the web process reads while a catch-up writes; NORMAL sync is safe with WAL.
            db.execute("pragma journal_mode = wal")
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("pragma table_info(posting)")}
            if "cents" not in columns:  # books written before the reports existed
                db.execute(CENTS_COLUMN)
                for rowid, amount in db.execute("select rowid, amount from posting").fetchall():
                    db.execute("update posting set cents = ? where rowid = ?",
                               (to_cents(Decimal(amount)), rowid))  # fmt: skip
            db.execute("create index if not exists posting_account on posting (account)")
            if "tag" not in {row[1] for row in db.execute("pragma table_info(txn)")}:
                db.execute("alter table txn add column tag text not null default ''")
            if "label" not in {row[1] for row in db.execute("pragma table_info(account)")}:
                db.execute("alter table account add column label text not null default ''")
            if "plan" not in {row[1] for row in db.execute("pragma table_info(shop)")}:
                db.execute("alter table shop add column plan text not null default 'free'")
            if "statement_cursor" not in {row[1] for row in db.execute("pragma table_info(shop)")}:
                db.execute("alter table shop add column statement_cursor text")
            # Stock goes to inventory now: what pointed at the old stock expense follows it
            # (rules, learned payees, recurring expenses); what was booked stays as booked.
            for table, column in (("import_rule", "account"), ("learned", "account"),
                                  ("recurring", "account")):  # fmt: skip
                db.execute(f"update {table} set {column} = ? where {column} = ?",  # noqa: S608
                           (INVENTORY, STOCK_EXPENSE))  # fmt: skip

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, in a transaction (committed on success, rolled back on
        error). Connections are kept open: closing the last one checkpoints the WAL, which
        costs more than the transaction itself (bench/books.py)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("pragma foreign_keys = on")
            db.execute("pragma synchronous = normal")
            self._local.db = db
        with db:
            yield db

    def connect(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A connection in a transaction, for the app's own modules (recurring, costs, …)."""
        return self._connect()

    @property
    def lock(self) -> threading.Lock:
        """Held by every write of transactions, so a check-then-write is not raced."""
        return self._lock

    # --- shops ---------------------------------------------------------------------------

    def save_shop(self, shop_id: str, name: str) -> None:
        with self._connect() as db:
            db.execute(
                "insert into shop (shop_id, name) values (?, ?) on conflict (shop_id) "
                "do update set name = excluded.name, installed = 1",
                (shop_id, name),
            )

    def shop(self, shop_id: str) -> Shop | None:
        with self._connect() as db:
            row = db.execute(
                "select shop_id, name, installed, cursor, backfilled, seen, plan, statement_cursor "
                "from shop where shop_id = ?",
                (shop_id,),
            ).fetchone()
        if row is None:
            return None
        return Shop(row[0], row[1], bool(row[2]), row[3], bool(row[4]), row[5], row[6], row[7])

    def set_plan(self, shop_id: str, plan: str) -> None:
        with self._connect() as db:
            db.execute("update shop set plan = ? where shop_id = ?", (plan, shop_id))

    def count_in_month(self, shop_id: str, month: str) -> int:
        """Transactions dated in `month` (YYYY-MM)."""
        with self._connect() as db:
            return int(db.execute(
                "select count(*) from txn where shop_id = ? and day >= ? and day < ?",
                (shop_id, f"{month}-01", f"{month}-32"),
            ).fetchone()[0])  # fmt: skip

    def set_installed(self, shop_id: str, installed: bool) -> None:
        with self._connect() as db:
            db.execute("update shop set installed = ? where shop_id = ?", (installed, shop_id))

    def set_progress(self, shop_id: str, cursor: str | None, seen: int, done: bool) -> None:
        """Where the reading of the platform's movements is. Once the history is read the shop
        stays backfilled: a later catch-up of several pages is no backfill again."""
        with self._connect() as db:
            db.execute(
                "update shop set cursor = coalesce(?, cursor), seen = ?, "
                "backfilled = max(backfilled, ?) where shop_id = ?",
                (cursor, seen, done, shop_id),
            )

    def installed_shops(self) -> list[str]:
        """The shops the app is installed in, oldest install first."""
        with self._connect() as db:
            rows = db.execute("select shop_id from shop where installed = 1 order by rowid")
            return [row[0] for row in rows.fetchall()]

    # --- the platform's statement, as it was read ----------------------------------------

    def keep_statement(
        self, shop_id: str, rows: list[tuple[str, str, str]], cursor: str | None
    ) -> None:
        """Keep movements as the platform listed them, (id, day, JSON) in the list's order, and
        where the copy ends (`cursor`, when given). A movement read twice is kept once."""
        with self._connect() as db:
            db.executemany(
                "insert or ignore into statement (shop_id, id, day, body) values (?, ?, ?, ?)",
                [(shop_id, *row) for row in rows],
            )
            if cursor is not None:
                db.execute("update shop set statement_cursor = ? where shop_id = ?",
                           (cursor, shop_id))  # fmt: skip

    def keeps_movement(self, shop_id: str, movement_id: str) -> bool:
        with self._connect() as db:
            return db.execute("select 1 from statement where shop_id = ? and id = ?",
                              (shop_id, movement_id)).fetchone() is not None  # fmt: skip

    def statement(self, shop_id: str, since: str | None, until: str) -> list[str]:
        """The kept movements (JSON) of days `since`..`until` in the platform's order, preceded
        by the last one before `since` (its balance after is the balance the window opens on)."""
        with self._connect() as db:
            if since is None:
                return [r[0] for r in db.execute(
                    "select body from statement where shop_id = ? and day <= ? order by seq",
                    (shop_id, until))]  # fmt: skip
            before = db.execute(
                "select body from statement where shop_id = ? and day < ? order by seq desc "
                "limit 1", (shop_id, since)).fetchall()  # fmt: skip
            rows = db.execute(
                "select body from statement where shop_id = ? and day >= ? and day <= ? "
                "order by seq", (shop_id, since, until)).fetchall()  # fmt: skip
        return [r[0] for r in before + rows]

    def forget(self, shop_id: str) -> None:
        with self._connect() as db:
            db.execute(
                "delete from posting where txn_id in (select id from txn where shop_id = ?)",
                (shop_id,),
            )
            for table in ("txn", "account", "recurring", "sku_cost", "order_line", "upload",
                          "learned", "budget", "order_state", "statement", "import_rule",
                          "shop"):  # fmt: skip
                db.execute(f"delete from {table} where shop_id = ?", (shop_id,))  # noqa: S608

    # --- accounts ------------------------------------------------------------------------

    def open_accounts(self, shop_id: str, accounts: list[tuple[str, str, str]]) -> None:
        """(name, book, kind) rows; an account already open stays as it is."""
        with self._connect() as db:
            db.executemany(
                "insert or ignore into account (shop_id, name, book, kind) values (?, ?, ?, ?)",
                [(shop_id, *row) for row in accounts],
            )

    def open_labelled(self, shop_id: str, name: str, book: str, kind: str, label: str) -> bool:
        """A category the seller added, named in her words; False if the name is taken."""
        with self._connect() as db:
            cursor = db.execute(
                "insert or ignore into account (shop_id, name, book, kind, label) "
                "values (?, ?, ?, ?, ?)",
                (shop_id, name, book, kind, label),
            )
            return cursor.rowcount == 1

    def set_label(self, shop_id: str, name: str, label: str) -> None:
        with self._connect() as db:
            db.execute("update account set label = ? where shop_id = ? and name = ?",
                       (label, shop_id, name))  # fmt: skip

    def labels(self, shop_id: str) -> dict[str, str]:
        """Account name → the seller's own name for it (categories she added)."""
        with self._connect() as db:
            return dict(db.execute(
                "select name, label from account where shop_id = ? and label <> ''", (shop_id,)
            ).fetchall())  # fmt: skip

    def accounts(self, shop_id: str) -> list[tuple[str, str, str]]:
        with self._connect() as db:
            return db.execute(
                "select name, book, kind from account where shop_id = ? order by name", (shop_id,)
            ).fetchall()

    # --- transactions --------------------------------------------------------------------

    def record(
        self,
        shop_id: str,
        *,
        source: str | None,
        day: str,
        narration: str,
        book: str,
        legs: list[Leg],
        category: str = "",
        payee: str = "",
    ) -> bool:
        """Write one balanced transaction; False (nothing written) when `source` is known."""
        draft = Draft(source, day, narration, book, legs, category, payee)
        return self.record_all(shop_id, [draft]) == 1

    def record_all(self, shop_id: str, drafts: list[Draft]) -> int:
        """Write the drafts in one SQLite transaction (all or none); how many were new.

        A draft whose `source` is already booked is skipped, so a replay writes nothing. Legs
        across the two books get each book's owner's legs (`per_book`): each book balances."""
        checked = []
        for draft in drafts:
            legs = [leg for leg in draft.legs if leg.amount != 0]
            if len(legs) < 2 or sum(leg.amount for leg in legs) != 0:
                raise Unbalanced(f"{draft.source or draft.narration}: {legs} does not balance")
            checked.append((draft, per_book(legs)))
        new = 0
        with self._lock, self._connect() as db:
            for draft, legs in checked:
                cursor = db.execute(
                    "insert or ignore into txn (shop_id, source, day, narration, book, category,"
                    " payee, tag) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    (shop_id, draft.source, draft.day, draft.narration, draft.book,
                     draft.category, draft.payee, draft.tag),
                )  # fmt: skip
                if cursor.rowcount == 0:
                    continue
                new += 1
                db.executemany(
                    "insert into posting (txn_id, account, amount, cents) values (?, ?, ?, ?)",
                    [(cursor.lastrowid, leg.account, str(leg.amount), to_cents(leg.amount))
                     for leg in legs],
                )  # fmt: skip
        return new

    def known_sources(self, shop_id: str, sources: list[str]) -> set[str]:
        with self._connect() as db:
            found: set[str] = set()
            for start in range(0, len(sources), 500):
                chunk = sources[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found |= {row[0] for row in db.execute(
                    f"select source from txn where shop_id = ? and source in ({marks})",  # noqa: S608
                    (shop_id, *chunk))}  # fmt: skip
        return found

    def transactions(self, shop_id: str) -> list[Txn]:
        with self._connect() as db:
            rows = db.execute(
                "select id, source, day, narration, book from txn where shop_id = ? "
                "order by day, id",
                (shop_id,),
            ).fetchall()
            legs: dict[int, list[Leg]] = {}
            for txn_id, account, amount in db.execute(
                "select p.txn_id, p.account, p.amount from posting p join txn t on t.id = p.txn_id "
                "where t.shop_id = ? order by p.rowid",
                (shop_id,),
            ):
                legs.setdefault(txn_id, []).append(Leg(account, Decimal(amount)))
        return [Txn(r[0], r[1], r[2], r[3], r[4], tuple(legs.get(r[0], []))) for r in rows]

    def balances(self, shop_id: str, until: str | None = None) -> dict[str, Decimal]:
        """Each account's balance (over transactions dated before `until`, if given)."""
        totals: dict[str, Decimal] = {}
        for txn in self.transactions(shop_id):
            if until is not None and txn.day >= until:
                continue
            for leg in txn.legs:
                totals[leg.account] = totals.get(leg.account, Decimal("0.00")) + leg.amount
        return totals
