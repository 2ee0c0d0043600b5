"""A daily expense typed in seconds, and the recurring ones (rent, phone) posted by themselves.

An expense is one balanced transaction: the expense account up, the account that paid down. Its
book (business or personal) is the expense account's. A recurring expense is posted once per
month it is due, with the source `recurring:<id>:<YYYY-MM>`: the store's unique source makes a
second run of the job (or two processes running it at once) post nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from emporium_books.books import BUYER_PAYMENTS, ESCROW, PLATFORM_BALANCE
from emporium_books.money import BadInput, parse_amount, parse_day
from emporium_books.store import INVENTORY, STOCK_EXPENSE, Draft, Leg, Store


@dataclass(frozen=True)
class Expense:
    day: date
    amount: Decimal
    account: str
    pay_from: str
    memo: str
    accidental: bool = False  # "could have done without": the spending analysis's other half


@dataclass(frozen=True)
class Recurring:
    id: int
    name: str
    day_of_month: int
    amount: Decimal
    account: str
    pay_from: str
    start_month: str
    active: bool


def expense_accounts(store: Store, shop_id: str) -> list[tuple[str, str]]:
    """(name, book) of the expense categories (budgets); the old stock expense is not one any
    more: stock bought is inventory (what was booked to it stays, see docs/decisions.md)."""
    return [(n, b) for n, b, kind in store.accounts(shop_id)
            if kind == "Expenses" and n != STOCK_EXPENSE]  # fmt: skip


def spending_accounts(store: Store, shop_id: str) -> list[tuple[str, str]]:
    """(name, book) of what money paid out can go to: the expense categories and the shop's
    inventory (stock bought, an asset until it is sold: `cogs.post_cogs` then costs it)."""
    found = [(n, b) for n, b, _kind in store.accounts(shop_id) if n == INVENTORY]
    return sorted([*expense_accounts(store, shop_id), *found])


def default_pay_from(store: Store, shop_id: str, account: str = "") -> str:
    """The paying account the form starts on: one of the category's own book (a shop expense
    from the shop's Alipay, a household one from the household's), so each book pays its own."""
    book = dict(spending_accounts(store, shop_id)).get(account, "business")
    paying = [name for name, b in paying_accounts(store, shop_id) if b == book]
    preferred = f"Assets:{book.capitalize()}:Alipay"
    return preferred if preferred in paying else (paying[0] if paying else "")


# Assets and liabilities no one pays from: the platform keeps the first three (its balance is
# paid out by withdrawals only), and stock is bought, not spent from.
NOT_PAYING = frozenset({PLATFORM_BALANCE, ESCROW, BUYER_PAYMENTS, INVENTORY})


def paying_accounts(store: Store, shop_id: str) -> list[tuple[str, str]]:
    """(name, book) of the accounts money can be paid from: the seller's own assets and the
    credit she repays (a card, 花呗)."""
    return [
        (n, b)
        for n, b, kind in store.accounts(shop_id)
        if kind in ("Assets", "Liabilities") and n not in NOT_PAYING
    ]


def read_expense(
    store: Store, shop_id: str, form: dict[str, str], today: date
) -> tuple[Expense | None, dict[str, str]]:
    """The expense a form describes, or the errors (field → message code) to show beside it."""
    errors: dict[str, str] = {}
    amount = day = None
    try:
        amount = parse_amount(form.get("amount", ""))
    except BadInput as error:
        errors["amount"] = error.code
    text_day = (form.get("day") or "").strip()
    try:
        day = parse_day(text_day) if text_day else today
    except BadInput as error:
        errors["day"] = error.code
    expenses = dict(spending_accounts(store, shop_id))
    paying = dict(paying_accounts(store, shop_id))
    account, pay_from = form.get("account", ""), form.get("pay_from", "")
    if account not in expenses:
        errors["account"] = "account_unknown"
    if pay_from not in paying:
        errors["pay_from"] = "account_unknown"
    memo = (form.get("memo") or "").strip()[:200]
    if errors or amount is None or day is None:
        return None, errors
    return Expense(day, amount, account, pay_from, memo, bool(form.get("accidental"))), {}


def book_of(store: Store, shop_id: str, account: str) -> str:
    for name, book, _kind in store.accounts(shop_id):
        if name == account:
            return book
    return "business"


def draft_of(store: Store, shop_id: str, expense: Expense, source: str | None = None) -> Draft:
    narration = expense.memo or expense.account.rsplit(":", 1)[-1]
    return Draft(
        source=source, day=expense.day.isoformat(), narration=narration,
        book=book_of(store, shop_id, expense.account),
        legs=[Leg(expense.account, expense.amount), Leg(expense.pay_from, -expense.amount)],
        category=expense.account, tag="accidental" if expense.accidental else "",
    )  # fmt: skip


def record_expense(store: Store, shop_id: str, expense: Expense) -> None:
    store.record_all(shop_id, [draft_of(store, shop_id, expense)])


def recent_expenses(store: Store, shop_id: str, limit: int = 20) -> list[tuple[str, str, str, str]]:
    """(day, narration, amount, account) of the latest expenses the seller typed (no platform source)."""
    with store.connect() as db:
        rows = db.execute(
            "select t.day, t.narration, p.amount, p.account from txn t join posting p "
            "on p.txn_id = t.id where t.shop_id = ? and (t.source is null or t.source like "
            "'recurring:%') and p.account like 'Expenses:%' order by t.id desc limit ?",
            (shop_id, limit),
        ).fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


# --- recurring ------------------------------------------------------------------------------


def read_recurring(
    store: Store, shop_id: str, form: dict[str, str], today: date
) -> tuple[dict[str, object] | None, dict[str, str]]:
    """A recurring expense from its form: name, day of the month (1–28), amount, accounts."""
    errors: dict[str, str] = {}
    name = (form.get("name") or "").strip()[:80]
    if not name:
        errors["name"] = "name_missing"
    try:
        day_of_month = int((form.get("day_of_month") or "").strip())
        if not 1 <= day_of_month <= 28:  # every month has a 28th
            raise ValueError(day_of_month)
    except ValueError:
        errors["day_of_month"] = "day_of_month_range"
        day_of_month = 0
    amount = None
    try:
        amount = parse_amount(form.get("amount", ""))
    except BadInput as error:
        errors["amount"] = error.code
    if form.get("account", "") not in dict(spending_accounts(store, shop_id)):
        errors["account"] = "account_unknown"
    if form.get("pay_from", "") not in dict(paying_accounts(store, shop_id)):
        errors["pay_from"] = "account_unknown"
    if errors:
        return None, errors
    return {"name": name, "day_of_month": day_of_month, "amount": amount,
            "account": form["account"], "pay_from": form["pay_from"],
            "start_month": today.strftime("%Y-%m")}, {}  # fmt: skip


def add_recurring(store: Store, shop_id: str, spec: dict[str, object]) -> int:
    with store.connect() as db:
        cursor = db.execute(
            "insert into recurring (shop_id, name, day_of_month, amount, account, pay_from, "
            "start_month) values (?, ?, ?, ?, ?, ?, ?)",
            (shop_id, spec["name"], spec["day_of_month"], str(spec["amount"]), spec["account"],
             spec["pay_from"], spec["start_month"]),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)


def stop_recurring(store: Store, shop_id: str, recurring_id: int) -> None:
    with store.connect() as db:
        db.execute(
            "update recurring set active = 0 where shop_id = ? and id = ?", (shop_id, recurring_id)
        )


def recurring(store: Store, shop_id: str) -> list[Recurring]:
    with store.connect() as db:
        rows = db.execute(
            "select id, name, day_of_month, amount, account, pay_from, start_month, active "
            "from recurring where shop_id = ? order by day_of_month, id",
            (shop_id,),
        ).fetchall()
    return [Recurring(r[0], r[1], r[2], Decimal(r[3]), r[4], r[5], r[6], bool(r[7])) for r in rows]


def _months(start: str, today: date) -> list[date]:
    year, month = (int(part) for part in start.split("-"))
    months = []
    while (year, month) <= (today.year, today.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def post_due(store: Store, shop_id: str, today: date) -> int:
    """Post every active recurring expense due by `today` and not posted yet; how many."""
    drafts = []
    for entry in recurring(store, shop_id):
        if not entry.active:
            continue
        for month in _months(entry.start_month, today):
            due = month.replace(day=entry.day_of_month)
            if due > today:
                continue
            expense = Expense(due, entry.amount, entry.account, entry.pay_from, entry.name)
            source = f"recurring:{entry.id}:{month:%Y-%m}"
            drafts.append(draft_of(store, shop_id, expense, source))
    return store.record_all(shop_id, drafts) if drafts else 0


def post_due_everywhere(store: Store, today: date) -> int:
    """The scheduled job: every installed shop's due recurring expenses."""
    with store.connect() as db:
        shops = [row[0] for row in db.execute("select shop_id from shop where installed = 1")]
    return sum(post_due(store, shop_id, today) for shop_id in shops)


# --- the owner's draw ------------------------------------------------------------------------

SHOP_DRAWS, HOME_DRAWS = "Equity:Business:Draws", "Equity:Personal:Draws"


def read_draw(
    store: Store, shop_id: str, form: dict[str, str], today: date
) -> tuple[Draft | None, dict[str, str]]:
    """Money the owner takes from the shop for the household (or puts back, "back" set).

    Each book balances on its own: the shop's asset and its draws account, the household's
    asset and its capital from the shop — so either book reports alone, and both together."""
    errors: dict[str, str] = {}
    amount = None
    try:
        amount = parse_amount(form.get("amount", ""))
    except BadInput as error:
        errors["draw_amount"] = error.code
    books_of = {name: book for name, book in paying_accounts(store, shop_id)}
    shop_side, home_side = form.get("shop_account", ""), form.get("home_account", "")
    if books_of.get(shop_side) != "business":
        errors["shop_account"] = "account_unknown"
    if books_of.get(home_side) != "personal":
        errors["home_account"] = "account_unknown"
    if errors or amount is None:
        return None, errors
    out = -amount if not form.get("back") else amount
    return Draft(
        source=None, day=today.isoformat(), narration=(form.get("memo") or "").strip()[:200]
        or "Owner's draw", book="business",
        legs=[Leg(shop_side, out), Leg(SHOP_DRAWS, -out), Leg(home_side, -out),
              Leg(HOME_DRAWS, out)],
        category=SHOP_DRAWS,
    ), {}  # fmt: skip


# --- budgets ---------------------------------------------------------------------------------


def budgets(store: Store, shop_id: str) -> dict[str, Decimal]:
    """The monthly budget of each expense account that has one."""
    with store.connect() as db:
        rows = db.execute("select account, amount from budget where shop_id = ?", (shop_id,))
        return {account: Decimal(amount) for account, amount in rows}


def save_budgets(store: Store, shop_id: str, form: dict[str, str]) -> dict[str, str]:
    """`budget_<account>` fields: an amount sets it, empty clears it; errors by account.
    Nothing is saved when any amount is wrong."""
    accounts = dict(expense_accounts(store, shop_id))
    chosen: dict[str, Decimal | None] = {}
    errors: dict[str, str] = {}
    for key, text in form.items():
        account = key.removeprefix("budget_")
        if not key.startswith("budget_") or account not in accounts:
            continue
        try:
            chosen[account] = parse_amount(text) if text.strip() else None
        except BadInput as error:
            errors[account] = error.code
    if errors:
        return errors
    with store.connect() as db:
        for account, amount in chosen.items():
            if amount is None:
                db.execute(
                    "delete from budget where shop_id = ? and account = ?", (shop_id, account)
                )
            else:
                db.execute(
                    "insert into budget (shop_id, account, amount) values (?, ?, ?) on conflict "
                    "(shop_id, account) do update set amount = excluded.amount",
                    (shop_id, account, str(amount)),
                )
    return {}
