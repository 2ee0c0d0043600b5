"""Money the shop received and the fees the platform took (read only)."""

from uuid import UUID

from ninja import Field, Schema

from emporium.resources.common import Money, UtcDatetime


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
