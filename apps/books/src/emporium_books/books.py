"""The chart of accounts, and how each movement of the shop's balance becomes a balanced entry.

Accounts follow beancount's five roots so the books export as they are. The platform balance
and escrow are assets; sales are income at settlement (gross, as escrow releases it), the
platform's commission and app charges are expenses; a return after settlement is a refund
(income down) less the fee the platform gave back (commission down).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from emporium_sdk.models import BalanceTransactionOut

from emporium_books.store import Draft, Leg, Store

BUSINESS, PERSONAL = "business", "personal"
# The seller's days and months are China's: a sale at 23:30 UTC on 31 May is June's.
TZ = ZoneInfo("Asia/Shanghai")
PLATFORM_BALANCE = "Assets:Business:Platform:Balance"
ESCROW = "Assets:Business:Platform:Escrow"
BANK = "Assets:Business:Bank"
SALES = "Income:Business:Sales"
REFUNDS = "Income:Business:Refunds"
COMMISSION = "Expenses:Business:Platform:Commission"
APPS = "Expenses:Business:Apps"
ADJUSTMENTS = "Equity:Business:Adjustments"
# Buyers' payments held in escrow: owed to them (refund) or earned at settlement.
BUYER_PAYMENTS = "Liabilities:Business:Buyer-Payments"

# A small seller's chart; the seller can open more (store.open_accounts).
CHART: list[tuple[str, str, str]] = [
    (PLATFORM_BALANCE, BUSINESS, "Assets"),
    (ESCROW, BUSINESS, "Assets"),
    (BANK, BUSINESS, "Assets"),
    (SALES, BUSINESS, "Income"),
    (REFUNDS, BUSINESS, "Income"),
    (COMMISSION, BUSINESS, "Expenses"),
    (APPS, BUSINESS, "Expenses"),
    ("Expenses:Business:Shipping", BUSINESS, "Expenses"),
    ("Expenses:Business:Packaging", BUSINESS, "Expenses"),
    ("Expenses:Business:Advertising", BUSINESS, "Expenses"),
    ("Expenses:Business:Cost-of-Goods", BUSINESS, "Expenses"),
    ("Assets:Business:Inventory", BUSINESS, "Assets"),
    ("Assets:Business:Alipay", BUSINESS, "Assets"),
    (ADJUSTMENTS, BUSINESS, "Equity"),
    (BUYER_PAYMENTS, BUSINESS, "Liabilities"),
    ("Equity:Business:Draws", BUSINESS, "Equity"),
    ("Assets:Personal:Cash", PERSONAL, "Assets"),
    ("Assets:Personal:Bank", PERSONAL, "Assets"),
    ("Assets:Personal:Alipay", PERSONAL, "Assets"),
    ("Income:Personal:Other", PERSONAL, "Income"),
    ("Expenses:Personal:Food", PERSONAL, "Expenses"),
    ("Expenses:Personal:Rent", PERSONAL, "Expenses"),
    ("Expenses:Personal:Phone", PERSONAL, "Expenses"),
    ("Expenses:Personal:Shopping", PERSONAL, "Expenses"),
    ("Equity:Personal:Draws", PERSONAL, "Equity"),
    ("Equity:Opening-Balances", BUSINESS, "Equity"),
    ("Equity:Business:Opening-Balances", BUSINESS, "Equity"),
    ("Equity:Personal:Opening-Balances", PERSONAL, "Equity"),
]


class UnknownMovement(ValueError):
    """A balance transaction of a type these rules do not know (a newer platform)."""


def amount_of(money: object) -> Decimal:
    return Decimal(str(getattr(money, "amount", "0")))


def legs_for(btx: BalanceTransactionOut) -> tuple[str, list[Leg]]:
    """The narration and the balanced legs of one movement of the shop's balance."""
    amount = amount_of(btx.amount)
    if btx.type == "settlement":
        gross, commission = amount_of(btx.gross), amount_of(btx.commission)
        # Escrow releases the gross: the buyer's payment is now earned (sales), less the fee.
        return f"Settlement of order {btx.order_number}", [
            Leg(PLATFORM_BALANCE, amount),
            Leg(COMMISSION, commission),
            Leg(SALES, -gross),
            Leg(ESCROW, -gross),
            Leg(BUYER_PAYMENTS, gross),
        ]
    if btx.type == "refund" and btx.commission is not None:
        return _return_after_settlement(btx, amount, amount_of(btx.commission))
    counterpart = {
        "withdrawal": (BANK, "Withdrawal to the bank"),
        "app_charge": (APPS, btx.description or "App charge"),
        "app_refund": (APPS, btx.description or "App credit"),
        "refund": (REFUNDS, f"Refund of order {btx.order_number}"),
        "adjustment": (ADJUSTMENTS, btx.description or "Balance adjustment"),
    }.get(btx.type)
    if counterpart is None:
        raise UnknownMovement(f"{btx.id}: unknown balance transaction type {btx.type!r}")
    account, narration = counterpart
    return narration, [Leg(PLATFORM_BALANCE, amount), Leg(account, -amount)]


def _return_after_settlement(
    btx: BalanceTransactionOut, amount: Decimal, fee_back: Decimal
) -> tuple[str, list[Leg]]:
    """A return out of the balance: the buyer's money back is a refund (income down), the
    platform's fee given back lowers the commission expense; the balance pays the difference.
    (A refund movement that does not say its fee, from an older platform, is all refund.)"""
    legs = [Leg(PLATFORM_BALANCE, amount), Leg(REFUNDS, fee_back - amount)]
    if fee_back:
        legs.append(Leg(COMMISSION, -fee_back))
    return f"Refund of order {btx.order_number}", legs


def draft(btx: BalanceTransactionOut) -> Draft:
    """The transaction one movement books, its source the movement's id."""
    narration, legs = legs_for(btx)
    return Draft(btx.id, day_of(btx.created_at).isoformat(), narration, BUSINESS, legs)


def record(store: Store, shop_id: str, btx: BalanceTransactionOut) -> bool:
    """Book one movement; False when it was booked before (idempotent by its id)."""
    return store.record_all(shop_id, [draft(btx)]) == 1


def day_of(moment: datetime) -> date:
    """The seller's calendar day of a moment (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(TZ).date()


def today() -> date:
    return datetime.now(TZ).date()
