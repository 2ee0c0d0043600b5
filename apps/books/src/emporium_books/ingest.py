"""Catch-up from the platform's balance transactions and the webhooks that follow them.

Both paths book through `books.record`, idempotent by the movement's id, so they may overlap
freely: the catch-up resumes from its stored cursor, a webhook books at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from emporium_sdk import Client
from emporium_sdk.models import BalanceTransactionOut

from emporium_books import books
from emporium_books.store import Store

log = logging.getLogger(__name__)
PAGE = 100


def catch_up(
    client: Client,
    store: Store,
    shop_id: str,
    progress: Callable[[int], None] | None = None,
    stopping: Callable[[], bool] | None = None,
) -> int:
    """Book every movement since the stored cursor; how many were new. When `stopping` says
    so between two pages (the process is going down), it stops there, unfinished: the next
    catch-up resumes from the cursor kept."""
    shop = store.shop(shop_id)
    cursor = shop.cursor if shop else None
    seen = shop.seen if shop else 0
    # The copy of the statement (for the reconciliation) is kept from the same pages while it
    # ends where the catch-up starts; else the reconciliation reads on from where the copy ends,
    # so the copy stays in the platform's order.
    in_step = shop is not None and shop.statement_cursor == cursor
    new = 0
    pager = client.finance.list_balance_transactions(limit=PAGE, cursor=cursor)
    for page in pager.pages():
        # One SQLite transaction per page: a year of a busy shop is a thousand commits, not
        # a hundred thousand (bench/books.py).
        new += store.record_all(shop_id, [books.draft(movement) for movement in page.data])
        if in_step:
            keep(store, shop_id, page.data, page.next_cursor)
        seen += len(page.data)
        if progress:
            progress(seen)
        # The cursor of the page after the last full one: a restart reads at most a page again.
        if page.next_cursor:
            store.set_progress(shop_id, page.next_cursor, seen, False)
            if stopping and stopping():
                return new
    store.set_progress(shop_id, None, seen, True)
    return new


def handle(store: Store, topic: str, shop_id: str | None, data: dict[str, Any]) -> bool:
    """Book a webhook's movement; False when it was not one or was booked already."""
    if topic != "balance.transaction_created" or not shop_id or store.shop(shop_id) is None:
        return False
    movement = BalanceTransactionOut.model_validate(data["balance_transaction"])
    return books.record(store, shop_id, movement)


def keep(
    store: Store, shop_id: str, movements: list[BalanceTransactionOut], cursor: str | None
) -> None:
    """Keep a page of the platform's statement as it was read (see `Store.keep_statement`)."""
    store.keep_statement(
        shop_id,
        [(m.id, books.day_of(m.created_at).isoformat(), m.model_dump_json()) for m in movements],
        cursor,
    )


def read_statement(client: Client, store: Store, shop_id: str) -> int:
    """Read the platform's movements newer than the kept copy (from its cursor) into it; how
    many pages were read. Movements never change once listed (the ledger only appends, and the
    balance after each is stored with it), so the copy is the platform's figures; only what is
    newer has to be asked for."""
    shop = store.shop(shop_id)
    cursor = shop.statement_cursor if shop else None
    pages = 0
    for page in client.finance.list_balance_transactions(limit=PAGE, cursor=cursor).pages():
        keep(store, shop_id, page.data, page.next_cursor)
        pages += 1
    return pages
