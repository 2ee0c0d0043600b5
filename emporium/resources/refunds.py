"""Refund requests on the shop's orders."""

from uuid import UUID

from ninja import Field, Schema

from emporium.resources.common import Money, UtcDatetime, money
from emporium.trade.models import Refund

REFUND_STATUSES = "requested | refused | disputed | agreed | closed"


class RefundOut(Schema):
    id: UUID
    order_id: UUID
    order_number: str
    amount: Money
    reason: str
    status: str = Field(description=REFUND_STATUSES)
    shipped_when_asked: bool = Field(description="the goods had left the shop when the buyer asked")
    seller_note: str
    created_at: UtcDatetime
    resolved_at: UtcDatetime | None


def refund_out(refund: Refund) -> RefundOut:
    return RefundOut(
        id=refund.public_id,
        order_id=refund.order.public_id,
        order_number=refund.order.number,
        amount=money(refund.amount, refund.order.currency),
        reason=refund.reason,
        status=refund.status,
        shipped_when_asked=refund.shipped_when_asked,
        seller_note=refund.seller_note,
        created_at=refund.created_at,
        resolved_at=refund.resolved_at,
    )
