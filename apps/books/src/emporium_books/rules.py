"""Import rules the seller writes: "when the payee or memo contains X, book it to Y".

Like hledger's CSV rules or Firefly III's rules, in their simplest useful form: a text (matched
case-insensitively as a part of the payee or the memo) and a category. The import preview tries
the seller's rules first, in the order she added them, then her earlier choices for the same
payee, then the built-in keyword rules (`statements.RULES`). A rule only suggests: the seller
still sees and can change every row before it is booked.
"""

from __future__ import annotations

from dataclasses import dataclass

from emporium_books.money import BadInput
from emporium_books.store import INVENTORY, STOCK_EXPENSE, Store

PATTERN_MAX = 60
KINDS = ("Expenses", "Income")  # what a statement's row can be booked to (the other leg)


@dataclass(frozen=True)
class Rule:
    id: int
    pattern: str
    account: str

    def matches(self, payee: str, memo: str) -> bool:
        needle = self.pattern.casefold()
        return needle in payee.casefold() or needle in memo.casefold()


def add(store: Store, shop_id: str, pattern: str, account: str) -> Rule:
    """Save a rule; BadInput (nothing written) for an empty or overlong text, or an account
    that is not one of the shop's expense or income categories."""
    pattern = " ".join(pattern.split())  # spaces as typed around and inside do not matter
    if not pattern:
        raise BadInput("rule_pattern_empty")
    if len(pattern) > PATTERN_MAX:
        raise BadInput("rule_pattern_too_long", pattern)
    if account not in categories(store, shop_id):
        raise BadInput("rule_account_unknown", account)
    with store.connect() as db:
        cursor = db.execute(
            "insert into import_rule (shop_id, pattern, account) values (?, ?, ?)",
            (shop_id, pattern, account),
        )
    return Rule(int(cursor.lastrowid or 0), pattern, account)


def categories(store: Store, shop_id: str) -> list[str]:
    """The accounts a rule may book to: the shop's expense and income categories, and its
    inventory (stock bought); not the old stock expense (stock is inventory now)."""
    return [name for name, _book, kind in store.accounts(shop_id)
            if (kind in KINDS or name == INVENTORY) and name != STOCK_EXPENSE]  # fmt: skip


def listed(store: Store, shop_id: str) -> list[Rule]:
    """The shop's rules, in the order they are tried (the order they were added)."""
    with store.connect() as db:
        rows = db.execute(
            "select id, pattern, account from import_rule where shop_id = ? order by id",
            (shop_id,),
        ).fetchall()
    return [Rule(*row) for row in rows]


def get(store: Store, shop_id: str, rule_id: int) -> Rule | None:
    return next((rule for rule in listed(store, shop_id) if rule.id == rule_id), None)


def delete(store: Store, shop_id: str, rule_id: int) -> bool:
    """Remove one of the shop's rules; False when it has no such rule."""
    with store.connect() as db:
        return (
            db.execute(
                "delete from import_rule where shop_id = ? and id = ?", (shop_id, rule_id)
            ).rowcount
            == 1
        )


def first_match(rules: list[Rule], payee: str, memo: str) -> str:
    """The account of the first rule matching the row, or ""."""
    return next((rule.account for rule in rules if rule.matches(payee, memo)), "")
