"""The chart of accounts the seller extends: an expense or income category in her own words.

The label is what she typed ("快递费", "Flowers"); the account name the books (and beancount)
use is derived from it: its ASCII words when it has some ("Expenses:Personal:Flowers"), else a
numbered one ("Expenses:Business:Own-3"), because a beancount account part must start with a
capital letter or digit. A label already used by a category of the same book and kind, in either
language, is refused so the expense form never shows two choices with one name. Renaming changes
the label only: the account name is the books' key, so what was booked stays where it is.

She adds paying accounts the same way (WeChat Pay, another bank card as an asset; 花呗 or a
credit card as a liability), and enters each one's opening balance once: what it held (or owed)
when she started, against her book's opening-balances equity, so it does not go negative.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from emporium_books import books, i18n
from emporium_books.money import BadInput, parse_amount, parse_day
from emporium_books.store import Draft, Leg, Store

# Categories, then paying accounts: money she holds (assets) or owes on (花呗, credit cards).
KINDS = ("Expenses", "Income", "Assets", "Liabilities")
OPENING = {books.BUSINESS: "Equity:Business:Opening-Balances",
           books.PERSONAL: "Equity:Personal:Opening-Balances"}  # fmt: skip
MAX_LABEL = 40


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _checked_label(
    store: Store, shop_id: str, label: str, book: str, kind: str, renaming: str = ""
) -> str:
    """The label as kept (NFKC, trimmed), or BadInput: empty, too long, unreadable, or the name
    of another category of the same book and kind (`renaming` is the one being renamed)."""
    label = unicodedata.normalize("NFKC", label).strip()
    if not label:
        raise BadInput("category_empty")
    if len(label) > MAX_LABEL:
        raise BadInput("category_too_long")
    if any(unicodedata.category(c).startswith("C") for c in label):
        raise BadInput("category_unreadable")
    own = store.labels(shop_id)
    taken = set()
    for name, account_book, account_kind in store.accounts(shop_id):
        if (account_book, account_kind) == (book, kind) and name != renaming:
            taken |= {_key(own.get(name, "")), _key(i18n.short_label(name, "en")),
                      _key(i18n.short_label(name, "zh-hans"))}  # fmt: skip
    if _key(label) in taken:
        raise BadInput("category_exists")
    return label


def add_category(store: Store, shop_id: str, label: str, kind: str, book: str) -> str:
    """Open the category and return its account name; BadInput names what is wrong."""
    if kind not in KINDS:
        raise BadInput("category_kind")
    if book not in (books.BUSINESS, books.PERSONAL):
        raise BadInput("category_book")
    label = _checked_label(store, shop_id, label, book, kind)
    prefix = f"{kind}:{book.capitalize()}:"
    words = re.findall(r"[A-Za-z0-9]+", label)
    candidates = ["-".join(w[:1].upper() + w[1:] for w in words)[:40]] if words else []
    existing = {name for name, _b, _k in store.accounts(shop_id)}
    candidates += [f"Own-{n}" for n in range(1, len(existing) + 2)]
    for part in candidates:
        if prefix + part not in existing and store.open_labelled(
            shop_id, prefix + part, book, kind, label
        ):
            return prefix + part
    raise BadInput("category_exists")  # pragma: no cover - one Own-n is always free


def rename_category(store: Store, shop_id: str, account: str, label: str) -> str:
    """Give a category the seller added a new name; its account (and every transaction booked
    to it, the beancount export, budgets) stays the same. Returns the account."""
    own = store.labels(shop_id)
    found = {name: (book, kind) for name, book, kind in store.accounts(shop_id)}
    if account not in own or account not in found:
        raise BadInput("category_not_own")  # the chart's own names are the app's, in two languages
    book, kind = found[account]
    store.set_label(shop_id, account, _checked_label(store, shop_id, label, book, kind, account))
    return account


def opening_balance(
    store: Store, shop_id: str, account: str, amount_text: str, day_text: str, today: date
) -> str:
    """Book what a paying account held (an asset) or owed (a liability) on `day` (default
    today) against its book's opening balances; once per account. Returns the account."""
    found = {name: (book, kind) for name, book, kind in store.accounts(shop_id)}
    if account not in found or found[account][1] not in ("Assets", "Liabilities"):
        raise BadInput("opening_account_error")
    if account.startswith("Assets:Business:Platform:"):
        raise BadInput("opening_platform")  # the platform's balance comes from its statement
    amount = parse_amount(amount_text)
    day = parse_day(day_text.strip()) if day_text.strip() else today
    book, kind = found[account]
    signed = amount if kind == "Assets" else -amount
    store.open_accounts(shop_id, [(OPENING[book], book, "Equity")])
    draft = Draft(source=f"opening:{account}", day=day.isoformat(), narration="Opening balance",
                  book=book, legs=[Leg(account, signed), Leg(OPENING[book], -signed)],
                  category=OPENING[book])  # fmt: skip
    if store.record_all(shop_id, [draft]) == 0:
        raise BadInput("opening_exists")
    return account
