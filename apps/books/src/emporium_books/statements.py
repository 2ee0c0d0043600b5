"""Importing a bank or Alipay statement (CSV, GBK or UTF-8): read, preview, then commit.

Reading never writes: it decodes the file (UTF-8 first, with or without a BOM, then GBK through
its superset GB18030 — what Alipay and Chinese banks export), finds the header row below the
preamble, and turns each line into a row with its date, signed amount, payee and memo, or an
error naming the row. The preview shows every row with the account suggested for it: the
seller's own earlier choice for that payee first, then the keyword rules. Committing writes
every row in one SQLite transaction, or none: a row with an error, or without an account, stops
the whole import. Each row's source is a fingerprint of its statement line (the statement's own
transaction number when it has one), so importing the same file again books nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from emporium_books import rules
from emporium_books.money import BadInput, parse_amount, parse_day
from emporium_books.store import Draft, Leg, Store

# Header names as the statements write them (Alipay old and new, WeChat Pay, the big banks).
DATE_COLUMNS = ("交易日期", "记账日期", "交易时间", "交易创建时间", "付款时间", "日期", "date")
AMOUNT_COLUMNS = ("金额（元）", "金额(元)", "金额", "交易金额", "amount")
DIRECTION_COLUMNS = ("收/支", "收支")
INCOME_COLUMNS = ("收入金额", "收入", "贷方金额", "credit")
SPENDING_COLUMNS = ("支出金额", "支出", "借方金额", "debit")
PAYEE_COLUMNS = ("交易对方", "对方户名", "对方名称", "payee")
MEMO_COLUMNS = (
    "商品说明",
    "商品名称",
    "交易备注",
    "摘要",
    "备注",
    "交易类型",
    "description",
    "memo",
)
ID_COLUMNS = ("交易订单号", "交易号", "流水号", "交易流水号", "id")
STATUS_COLUMNS = ("交易状态",)
# Lines Alipay marks as moving nothing (between one's own accounts) or as failed.
NEUTRAL = ("不计收支",)
FAILED = ("交易关闭", "失败")

# Keyword rules a new seller starts with: the first match suggests the account.
RULES: list[tuple[tuple[str, ...], str]] = [
    (
        ("顺丰", "中通", "圆通", "韵达", "申通", "快递", "邮政", "courier"),
        "Expenses:Business:Shipping",
    ),
    (("纸箱", "胶带", "包装", "气泡", "packaging"), "Expenses:Business:Packaging"),
    (("1688", "批发", "进货", "wholesale"), "Assets:Business:Inventory"),
    (("推广", "广告", "直通车", "advert"), "Expenses:Business:Advertising"),
    (("房租", "租金", "rent"), "Expenses:Personal:Rent"),
    (("话费", "移动", "联通", "电信", "phone"), "Expenses:Personal:Phone"),
    (("美团", "饿了么", "餐", "外卖", "超市", "便利店", "food"), "Expenses:Personal:Food"),
]


class StatementError(ValueError):
    """The file as a whole cannot be read (encoding, no header); `code` names the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Row:
    number: int  # the line in the file, as a spreadsheet shows it (1 = the first line)
    day: str = ""
    amount: Decimal = Decimal("0.00")  # signed: what came into the statement's account
    payee: str = ""
    memo: str = ""
    ref: str = ""
    error: str = ""
    error_value: str = ""
    skipped: str = ""
    suggestion: str = ""
    duplicate: bool = False
    source: str = field(default="")


@dataclass
class Statement:
    encoding: str
    rows: list[Row]

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.error]

    @property
    def bookable(self) -> list[Row]:
        return [r for r in self.rows if not (r.error or r.skipped or r.duplicate)]


def decode(content: bytes) -> tuple[str, str]:
    """The text and its encoding: `utf-8` (a BOM allowed) or `gbk`; anything else is refused."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "gbk"
    except UnicodeDecodeError as error:
        raise StatementError("encoding_unknown") from error


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [cell.strip().lower() for cell in header]
    for name in names:
        if name.lower() in lowered:
            return lowered.index(name.lower())
    return None


def _cell(line: list[str], index: int | None) -> str:
    if index is None or index >= len(line):
        return ""
    return line[index].strip().strip("\t")


def read(content: bytes) -> Statement:
    """Every line of the statement as a row (with its error, if any); writes nothing."""
    text, encoding = decode(content)
    lines = list(csv.reader(io.StringIO(text)))
    for at, header in enumerate(lines):  # noqa: B007 - `at` is the header row, used below
        date_at = _find(header, DATE_COLUMNS)
        amount_at = _find(header, AMOUNT_COLUMNS)
        income_at, spending_at = _find(header, INCOME_COLUMNS), _find(header, SPENDING_COLUMNS)
        if date_at is not None and (amount_at is not None or income_at is not None):
            break
    else:
        raise StatementError("header_missing")
    direction_at = _find(header, DIRECTION_COLUMNS)
    payee_at, memo_at = _find(header, PAYEE_COLUMNS), _find(header, MEMO_COLUMNS)
    id_at, status_at = _find(header, ID_COLUMNS), _find(header, STATUS_COLUMNS)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for offset, line in enumerate(lines[at + 1 :]):
        number = at + 2 + offset
        if not any(cell.strip() for cell in line) or line[0].strip().startswith(("-", "#")):
            continue  # blank lines and Alipay's closing "-----" summary block
        if len(line) < len(header) // 2:
            continue  # a footer line ("共 12 笔记录")
        row = Row(number=number, payee=_cell(line, payee_at), memo=_cell(line, memo_at),
                  ref=_cell(line, id_at))  # fmt: skip
        rows.append(row)
        try:
            row.day = parse_day(_cell(line, date_at)).isoformat()
            direction = _cell(line, direction_at)
            if direction in NEUTRAL or any(word in _cell(line, status_at) for word in FAILED):
                row.skipped = direction or _cell(line, status_at)
                continue
            if amount_at is not None and direction_at is not None:
                # Alipay: a positive amount and a 收/支 column saying which way it went.
                amount = parse_amount(_cell(line, amount_at))
                if direction not in ("收入", "支出"):
                    raise BadInput("direction_unknown", direction)
                row.amount = amount if direction == "收入" else -amount
            elif amount_at is not None:
                row.amount = parse_amount(_cell(line, amount_at), positive=False)
                if row.amount == 0:
                    raise BadInput("amount_not_positive", _cell(line, amount_at))
            else:
                income, spending = _cell(line, income_at), _cell(line, spending_at)
                if income and income not in ("0", "0.00"):
                    row.amount = parse_amount(income)
                else:
                    row.amount = -parse_amount(spending)
        except BadInput as error:
            row.error, row.error_value = error.code, error.value
            continue
        key = row.ref or "|".join((row.day, str(row.amount), row.payee, row.memo))
        seen[key] = seen.get(key, 0) + 1  # the same coffee twice a day is two rows
        digest = hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()[:24]
        row.source = f"import:{digest}"
    return Statement(encoding, rows)


def learned(store: Store, shop_id: str) -> dict[str, str]:
    with store.connect() as db:
        return dict(db.execute("select payee, account from learned where shop_id = ?", (shop_id,)))


def suggest(row: Row, memory: dict[str, str], own: list[rules.Rule] | None = None) -> str:
    """The first of the seller's own rules that matches, else her earlier choice for this payee,
    else the first built-in keyword rule that matches."""
    mine = rules.first_match(own or [], row.payee, row.memo)
    if mine:
        return mine
    if row.payee and row.payee in memory:
        return memory[row.payee]
    text = f"{row.payee} {row.memo}".lower()
    for words, account in RULES:
        if any(word.lower() in text for word in words):
            return account
    return ""


def _scoped(source: str, account: str) -> str:
    # The same statement line imported into another account is another movement.
    return f"{source}:{hashlib.sha256(account.encode()).hexdigest()[:8]}"


def preview(store: Store, shop_id: str, content: bytes, account: str) -> Statement:
    """The statement read, each row with its suggestion and whether it was imported before."""
    statement = read(content)
    memory = learned(store, shop_id)
    own = rules.listed(store, shop_id)
    known = store.known_sources(
        shop_id, [_scoped(row.source, account) for row in statement.rows if row.source]
    )
    for row in statement.rows:
        if row.source:
            row.duplicate = _scoped(row.source, account) in known
            row.suggestion = suggest(row, memory, own)
    return statement


def commit(
    store: Store,
    shop_id: str,
    content: bytes,
    account: str,
    choices: dict[int, str],
    room: int | None = None,
) -> tuple[int, list[tuple[int, str, str]]]:
    """Book every new row against `account`, with the counter-account chosen for each row.

    Returns (how many booked, errors as (row number, code, value)); with any error nothing is
    written at all — nor when the rows exceed the `room` the shop's plan leaves this month."""
    statement = preview(store, shop_id, content, account)
    accounts = {name: (book, kind) for name, book, kind in store.accounts(shop_id)}
    problems = [(row.number, row.error, row.error_value) for row in statement.errors]
    if account not in accounts:
        problems.insert(0, (0, "account_unknown", account))
    drafts: list[Draft] = []
    remember: dict[str, str] = {}
    for row in statement.bookable:
        chosen = choices.get(row.number) or row.suggestion
        if not chosen:
            problems.append((row.number, "row_no_account", row.payee or row.memo))
            continue
        if chosen not in accounts or chosen == account:
            problems.append((row.number, "account_unknown", chosen))
            continue
        book = accounts[chosen][0]
        drafts.append(Draft(
            source=_scoped(row.source, account), day=row.day,
            narration=row.memo or row.payee or "Statement line", book=book,
            legs=[Leg(account, row.amount), Leg(chosen, -row.amount)],
            category=chosen, payee=row.payee,
        ))  # fmt: skip
        if row.payee:
            remember[row.payee] = chosen
    if room is not None and len(drafts) > room:
        problems.insert(0, (0, "plan_limit", str(room)))
    if problems:
        return 0, sorted(problems)
    booked = store.record_all(shop_id, drafts)
    with store.connect() as db:
        db.executemany(
            "insert into learned (shop_id, payee, account) values (?, ?, ?) "
            "on conflict (shop_id, payee) do update set account = excluded.account",
            [(shop_id, payee, chosen) for payee, chosen in remember.items()],
        )
    return booked, []


def save_upload(store: Store, shop_id: str, content: bytes, account: str) -> int:
    """Keep the file between the preview and the commit (the seller confirms the same bytes)."""
    with store.connect() as db:
        db.execute("delete from upload where created < datetime('now', '-1 day')")
        cursor = db.execute(
            "insert into upload (shop_id, account, content) values (?, ?, ?)",
            (shop_id, account, content),
        )
        return int(cursor.lastrowid or 0)


def upload(store: Store, shop_id: str, upload_id: int) -> tuple[bytes, str] | None:
    with store.connect() as db:
        row = db.execute(
            "select content, account from upload where shop_id = ? and id = ?",
            (shop_id, upload_id),
        ).fetchone()
    return (bytes(row[0]), row[1]) if row else None
