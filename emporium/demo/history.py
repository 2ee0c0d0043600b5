"""A shop's trading history made by the platform's own functions under a moved clock.

Used by the demo (Mei's last three months, so the books app has months to report) and by
bench/books.py (a busy shop's year). Orders spread evenly from `start` to `end`: each is paid,
shipped, received and settled with the platform's commission, except a share left paid in escrow,
a share refunded in part before settlement and a share returned after it (the refund out of the
seller's balance); once a week the held fees whose return window closed are released and half of
the free balance is withdrawn; once a month another app charges its subscription. The clock is
left at `end`, the fees due by then released; the caller puts it back.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from emporium.catalog.models import Sku
from emporium.finance import ledger
from emporium.finance.amounts import FinanceError
from emporium.finance.ledger import Leg
from emporium.finance.models import Posting
from emporium.finance.wallets import returnable, withdraw
from emporium.lib import clock
from emporium.members.models import Address, Member
from emporium.trade import orders as trading
from emporium.trade import refunds
from emporium.trade.states import TradeError

APP_CHARGE = Decimal("29.00")


@dataclass(frozen=True)
class Rates:
    """The shares of orders left in escrow, refunded before and returned after settlement."""

    in_escrow: float = 0.03
    refunded_before: float = 0.08
    returned_after: float = 0.02


def withdraw_half(seller: Member) -> int:
    """The seller's weekly habit: half of what may be withdrawn goes to the bank, when that is
    worth it (at least 200.00 free). 1 if a withdrawal was made, else 0."""
    free = ledger.balance_of(ledger.seller_code(seller)) - returnable(seller.pk)
    if free < Decimal("200.00"):
        return 0
    try:
        withdraw(seller, (free / 2).quantize(Decimal("0.01")), "6222 0000 1111")
    except FinanceError:
        return 0
    return 1


def trade_history(
    seller: Member, buyers: list[tuple[Member, Address]], skus: list[Sku], developer: Member, *,
    start: datetime, end: datetime, orders: int, rng: random.Random, rates: Rates = Rates(),
    key: str = "history",
) -> dict[str, int]:  # fmt: skip
    """`orders` orders of `skus` by `buyers` (in turn) from `start` to `end`; what was made.
    `key` names the app-charge invoices (one a month), so a second history gets its own."""
    step = (end - start) / orders
    counts = {"settled": 0, "refunded_before": 0, "returned_after": 0, "in_escrow": 0,
              "withdrawals": 0, "app_charges": 0}  # fmt: skip
    week, month = -1, 0
    returnable_orders = []
    for n in range(orders):
        clock.set_time(start + step * n)
        now = clock.now()
        buyer, address = buyers[n % len(buyers)]
        (order,) = trading.checkout(buyer, address, [(rng.choice(skus), rng.choice((1, 1, 2)))])
        trading.pay(buyer, [order])
        roll = rng.random()
        if roll < rates.in_escrow:
            counts["in_escrow"] += 1
            continue
        trading.ship(order, "SF Express", f"SF{n:010d}")
        if roll < rates.in_escrow + rates.refunded_before:  # part back, out of escrow
            refund = refunds.request_refund(order, buyer, Decimal("20.00"), "a button is missing")
            refunds.agree(refund)
            counts["refunded_before"] += 1
        trading.confirm_receipt(order)
        counts["settled"] += 1
        if roll > 1 - rates.returned_after:
            returnable_orders.append((order, buyer))
        if returnable_orders and n % 5 == 0:  # a return inside the window: out of the balance
            late, by = returnable_orders.pop()
            late.refresh_from_db()
            try:
                refund = refunds.request_refund(late, by, Decimal("30.00"), "wrong size")
                refunds.agree(refund)
                counts["returned_after"] += 1
            except TradeError:
                pass
        if (now - start).days // 7 != week:  # once a week: fees released, half withdrawn
            week = (now - start).days // 7
            trading.settle_fees()
            counts["withdrawals"] += withdraw_half(seller)
        if now.month != month:  # a month's subscription to another app
            month = now.month
            ledger.post(Posting.Reason.APP_CHARGE, f"app-invoice:{key}-{now:%Y-%m}",
                        [Leg(ledger.seller_balance(seller), -APP_CHARGE),
                         Leg(ledger.developer_payable(developer), APP_CHARGE)],
                        memo="Stats: Pro, a month")  # fmt: skip
            counts["app_charges"] += 1
    clock.set_time(end)
    trading.settle_fees()
    return counts
