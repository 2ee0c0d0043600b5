"""The books as beancount text: one `open` per account, one transaction per entry.

The export passes `bean-check` and opens in Fava; each transaction carries the platform's id of
its movement (`source: "btx_…"`) so a line in Fava leads back to the platform's statement.
"""

from __future__ import annotations

from emporium_books.store import Store

CURRENCY = "CNY"
EPOCH = "2000-01-01"  # accounts open before anything the platform can have recorded


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def beancount(store: Store, shop_id: str, title: str = "") -> str:
    """The shop's books, business and personal, as one beancount file."""
    lines = [f"option {_quoted('title')} {_quoted(title or 'Books')}",
             f'option "operating_currency" "{CURRENCY}"', ""]  # fmt: skip
    txns = store.transactions(shop_id)
    names = {name for name, _book, _kind in store.accounts(shop_id)}
    names |= {leg.account for txn in txns for leg in txn.legs}
    lines += [f"{EPOCH} open {name} {CURRENCY}" for name in sorted(names)]
    for txn in txns:
        lines += ["", f"{txn.day} * {_quoted(txn.narration)}"]
        lines.append(f"  book: {_quoted(txn.book)}")
        if txn.source:
            lines.append(f"  source: {_quoted(txn.source)}")
        lines += [f"  {leg.account}  {leg.amount} {CURRENCY}" for leg in txn.legs]
    return "\n".join(lines) + "\n"
