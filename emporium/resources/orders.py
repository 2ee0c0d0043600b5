"""Orders as the seller sees them: lines, amounts, the shipping address, shipping and memo."""

import uuid
from uuid import UUID

from ninja import Field, Schema

from emporium.resources.common import Money, UtcDatetime, money
from emporium.shops.models import Shop
from emporium.trade.models import Order, OrderLine

ORDER_STATUSES = "pending_payment | paid | shipped | completed | settled | cancelled"


def customer_id(shop: Shop, buyer_public_id: UUID) -> UUID:
    """A buyer's id as one shop sees it: stable for that shop, unrelated across shops,
    so apps serving several shops cannot follow a buyer from one to the next."""
    return uuid.uuid5(shop.public_id, str(buyer_public_id))


class BuyerOut(Schema):
    customer_id: UUID = Field(description="the id in /customers")
    name: str = Field(description="display name")


class AddressOut(Schema):
    recipient: str
    phone: str
    province: str
    city: str
    district: str
    street: str
    postal_code: str


class OrderLineOut(Schema):
    item_id: UUID
    sku_id: int
    title: str
    sku_label: str
    quantity: int
    list_price: Money
    unit_price: Money = Field(description="after item promotions")
    discount: Money = Field(description="share of order-level discounts")
    total: Money


class OrderOut(Schema):
    id: UUID
    number: str
    status: str = Field(description=ORDER_STATUSES)
    buyer: BuyerOut
    lines: list[OrderLineOut]
    items_amount: Money
    discount_amount: Money
    shipping_amount: Money
    total_amount: Money
    refunded_amount: Money
    commission_amount: Money = Field(description="the platform's fee, known once settled")
    address: AddressOut = Field(description="as it was at checkout")
    buyer_note: str
    seller_memo: str = Field(description="the seller's private note")
    carrier: str
    tracking_number: str
    cancel_reason: str
    created_at: UtcDatetime
    paid_at: UtcDatetime | None
    shipped_at: UtcDatetime | None
    completed_at: UtcDatetime | None
    settled_at: UtcDatetime | None
    cancelled_at: UtcDatetime | None


def line_out(line: OrderLine, currency: str) -> OrderLineOut:
    return OrderLineOut(
        item_id=line.item.public_id,
        sku_id=line.sku_id,
        title=line.title,
        sku_label=line.sku_label,
        quantity=line.quantity,
        list_price=money(line.list_price, currency),
        unit_price=money(line.unit_price, currency),
        discount=money(line.discount_amount, currency),
        total=money(line.total_amount, currency),
    )


def _address(snapshot: dict) -> AddressOut:
    return AddressOut(**{name: str(snapshot.get(name, "")) for name in AddressOut.model_fields})


def order_out(order: Order) -> OrderOut:
    """Expects buyer, shop and lines (with their items) loaded; see routes.orders.ORDERS."""
    c = order.currency
    return OrderOut(
        id=order.public_id,
        number=order.number,
        status=order.status,
        buyer=BuyerOut(
            customer_id=customer_id(order.shop, order.buyer.public_id), name=str(order.buyer)
        ),
        lines=[line_out(line, c) for line in order.lines.all()],
        items_amount=money(order.items_amount, c),
        discount_amount=money(order.discount_amount, c),
        shipping_amount=money(order.shipping_amount, c),
        total_amount=money(order.total_amount, c),
        refunded_amount=money(order.refunded_amount, c),
        commission_amount=money(order.commission_amount, c),
        address=_address(order.address or {}),
        buyer_note=order.buyer_note,
        seller_memo=order.seller_memo,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        cancel_reason=order.cancel_reason,
        created_at=order.created_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        completed_at=order.completed_at,
        settled_at=order.settled_at,
        cancelled_at=order.cancelled_at,
    )
