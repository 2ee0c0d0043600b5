"""What escrow holds for the shop: buyers' payments not yet settled, booked by the app.

A paid order puts its total into `Assets:Business:Platform:Escrow`, owed to the buyer until it
is earned (`Liabilities:Business:Buyer-Payments`), source `escrow:<number>`. A refund before
settlement takes money out again (source `escrow-refund:<number>:<refunded so far, in fen>`: a
later, larger refund books only the difference); the settlement releases the rest (its legs in
`books.legs_for`). The app learns of refunds by reading its unsettled orders again at each
catch-up (`GET /orders?status=`, see `refresh_open`), so its escrow equals `GET /finance/balance`'s after one.

A settled order's refunded amount also counts a return after settlement, which the platform
takes from the seller's balance (a `refund` movement), not from escrow: for a settled order,
what escrow paid back is its total less the gross its settlement released, known once that
settlement is booked (until then nothing is booked for it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from emporium_sdk import Client, EmporiumError

from emporium_books import books, cogs
from emporium_books.store import Draft, Leg, Store, from_cents, to_cents

OPEN: tuple[Literal["paid", "shipped", "completed"], ...] = ("paid", "shipped", "completed")


def refresh_open(client: Client, store: Store, shop_id: str) -> int:
    """Read again every paid order not yet settled (refunds change them); how many read.

    The open orders are listed by status (`GET /orders?status=`, a hundred a page: a busy
    shop's 812 open orders are 9 pages, not 812 calls against the rate limit); only an order
    kept as open that none of those lists shows any more (settled or cancelled since) is read
    by itself."""
    with store.connect() as db:
        ids = {row[0] for row in db.execute(
            "select order_id from order_state where shop_id = ? and paid_at is not null and "
            "status in ('paid', 'shipped', 'completed')", (shop_id,))}  # fmt: skip
    read = 0
    for status in OPEN:
        for order in client.orders.list(limit=100, status=status):
            cogs.keep_order(store, shop_id, order)
            ids.discard(order.id)
            read += 1
    for order_id in sorted(ids):
        try:
            cogs.keep_order(store, shop_id, client.orders.get(order_id))
            read += 1
        except EmporiumError:
            continue  # gone or not readable now: the next catch-up tries again
    return read


def book(store: Store, shop_id: str) -> int:
    """Book each paid order's payment into escrow and each refund taken from it; how many new."""
    with store.connect() as db:
        orders = db.execute(
            "select number, paid_at, total, refunded, status from order_state "
            "where shop_id = ? and paid_at is not null",
            (shop_id,),
        ).fetchall()
        refunded_before: dict[str, int] = {}
        for source, cents in db.execute(
            "select t.source, sum(p.cents) from txn t join posting p on p.txn_id = t.id "
            "where t.shop_id = ? and t.source like 'escrow-refund:%' and p.account = ? "
            "group by t.id",
            (shop_id, books.ESCROW),
        ):
            number = source.split(":")[1]
            refunded_before[number] = refunded_before.get(number, 0) - cents
        # What each booked settlement released from escrow, by order number (as cogs reads it).
        released = dict(db.execute(
            "select substr(t.narration, 21), -sum(p.cents) from txn t join posting p "
            "on p.txn_id = t.id where t.shop_id = ? and t.narration like 'Settlement of order %' "
            "and p.account = ? group by t.id", (shop_id, books.ESCROW)).fetchall())  # fmt: skip
    drafts = []
    for number, paid_at, total, refunded, status in orders:
        day = books.day_of(datetime.fromisoformat(paid_at)).isoformat()
        amount = Decimal(total)
        drafts.append(Draft(f"escrow:{number}", day, f"Payment of order {number} into escrow",
                            books.BUSINESS, [Leg(books.ESCROW, amount),
                                             Leg(books.BUYER_PAYMENTS, -amount)]))  # fmt: skip
        now = to_cents(Decimal(refunded))
        if status == "settled" and number in released:
            now = to_cents(amount) - released[number]  # a return after settlement is not escrow's
        elif status == "settled" and now != to_cents(amount):
            continue  # its settlement is not booked yet: the refund from escrow is not known
        delta = now - refunded_before.get(number, 0)
        if delta > 0:
            back = from_cents(delta)
            drafts.append(Draft(f"escrow-refund:{number}:{now}", books.today().isoformat(),
                                f"Refund of order {number} from escrow", books.BUSINESS,
                                [Leg(books.ESCROW, -back), Leg(books.BUYER_PAYMENTS, back)]))  # fmt: skip
    return store.record_all(shop_id, drafts) if drafts else 0
