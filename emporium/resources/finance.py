"""Money the shop received and the fees the platform took (read only)."""

from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from emporium.finance.models import Entry, Posting
from emporium.resources.common import Money, UtcDatetime, money

# The ledger's own codes (finance.ledger.ESCROW, COMMISSION, HELD_COMMISSION): resources sit
# below the domain. A settlement's fee is held until the return window closes.
ESCROW_CODE = "escrow"
COMMISSION_CODE = "revenue:commission"
HELD_COMMISSION_CODE = "held:commission"
WALLET_PREFIX = "wallet:"  # finance.ledger.wallet_code: a buyer's wallet


def fee_of(legs: dict[str, Decimal]) -> Decimal:
    """The commission leg of a settlement posting, held or (before held fees) revenue."""
    return legs.get(HELD_COMMISSION_CODE, legs.get(COMMISSION_CODE, Decimal("0.00")))


class SettlementOut(Schema):
    id: int = Field(description="the ledger posting")
    order_id: UUID | None
    order_number: str
    gross: Money = Field(description="released from escrow: order total less refunds")
    commission: Money = Field(description="the platform's fee")
    net: Money = Field(description="what reached the seller's balance")
    settled_at: UtcDatetime


class FeeOut(Schema):
    kind: str = Field(description="commission (more kinds may come: app charges)")
    order_id: UUID
    order_number: str
    base: Money = Field(description="what the fee was charged on")
    amount: Money
    charged_at: UtcDatetime


# --- balance transactions: every movement of a shop's balance, read from the ledger ------------

BALANCE_TYPES = ["settlement", "refund", "withdrawal", "app_charge", "app_refund", "adjustment"]


class BalanceTransactionOut(Schema):
    id: str = Field(examples=["btx_1042"], description="stable; the ledger entry behind it")
    type: str = Field(description=" | ".join(BALANCE_TYPES))
    amount: Money = Field(description="signed: what the movement added to the balance")
    balance_after: Money = Field(description="the shop's balance right after this movement")
    created_at: UtcDatetime
    reference: str = Field(description="what caused it: order:<number>, app-invoice:<id>, ...")
    order_number: str | None = Field(None, description="the order, for settlements and refunds")
    gross: Money | None = Field(
        None,
        description="settlement: released from escrow; refund: paid back to the buyer; else null",
    )
    commission: Money | None = Field(
        None,
        description="settlement: the platform's fee; refund: the held fee given back, 0.00 if "
        "none; else null",
    )
    description: str = Field("", description="e.g. the app and the period of an app charge")


class BalanceOut(Schema):
    available: Money = Field(description="the shop's balance: settled, not yet withdrawn")
    escrow: Money = Field(description="paid by buyers, held in escrow, not yet settled")
    last_transaction_id: str | None = Field(
        description="the newest balance transaction, which `available` includes"
    )


def balance_type(reason: str, amount: Decimal) -> str:
    """The kind of a seller-balance movement, from its posting's reason and sign."""
    if reason == Posting.Reason.APP_CHARGE:
        return "app_charge" if amount < 0 else "app_refund"
    if reason in ("settlement", "refund", "withdrawal"):
        return reason
    return "adjustment"


def balance_transaction_out(entry: Entry, legs: dict[str, Decimal]) -> BalanceTransactionOut:
    """One entry on a seller's account; `legs` holds its posting's amounts by account code."""
    posting = entry.posting
    kind = balance_type(posting.reason, entry.amount)
    gross, commission = _gross_and_fee(kind, legs)
    return BalanceTransactionOut(
        id=f"btx_{entry.pk}",
        type=kind,
        amount=money(entry.amount),
        balance_after=money(entry.balance_after),
        created_at=posting.created_at,
        reference=posting.reference,
        order_number=posting.reference.removeprefix("order:")
        if posting.reference.startswith("order:")
        else None,
        gross=gross,
        commission=commission,
        description=posting.memo,
    )


def _gross_and_fee(kind: str, legs: dict[str, Decimal]) -> tuple[Money | None, Money | None]:
    """A settlement's gross (escrow's leg) and fee; a return's money back to the buyer (the
    wallet's leg) and the share of the held fee given back (the held fee's leg, negative)."""
    if kind == "settlement":
        return money(-legs.get(ESCROW_CODE, Decimal("0.00"))), money(fee_of(legs))
    if kind == "refund":
        back = sum(
            (amount for code, amount in legs.items() if code.startswith(WALLET_PREFIX)),
            Decimal("0.00"),
        )
        return money(back), money(-fee_of(legs))
    return None, None
