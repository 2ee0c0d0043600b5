"""What buyer apps see under /api/v1/me: the buyer's profile, addresses, orders and payment requests."""

from uuid import UUID

from ninja import Field, Schema

from emporium.ecosystem.models import PaymentRequest
from emporium.members.models import Address, Member
from emporium.resources.common import Money, UtcDatetime, money
from emporium.resources.orders import ORDER_STATUSES, AddressOut, OrderLineOut, line_out
from emporium.trade.models import Order


class ProfileOut(Schema):
    buyer_id: str = Field(
        description="the id this app knows the buyer by: stable, and different for every app"
    )
    name: str = Field(description="display name")
    timezone: str
    language: str | None = Field(None, description="the buyer's chosen language, if any")


class BuyerAddressOut(AddressOut):
    id: int
    is_default: bool


class ShopRef(Schema):
    id: UUID
    name: str


class BuyerOrderOut(Schema):
    id: UUID
    number: str
    status: str = Field(description=ORDER_STATUSES)
    shop: ShopRef
    lines: list[OrderLineOut]
    items_amount: Money
    discount_amount: Money
    shipping_amount: Money
    total_amount: Money
    refunded_amount: Money
    address: AddressOut
    buyer_note: str
    carrier: str
    tracking_number: str
    placed_by_this_app: bool = Field(description="whether this app placed the order")
    created_at: UtcDatetime
    paid_at: UtcDatetime | None
    shipped_at: UtcDatetime | None
    completed_at: UtcDatetime | None
    cancelled_at: UtcDatetime | None


class PaymentRequestOut(Schema):
    id: UUID
    order_id: UUID
    amount: Money
    status: str = Field(description="pending | paid | declined | void")
    within_limit: bool = Field(description="paid at once, inside the buyer's daily limit")
    confirmation_url: str | None = Field(
        description="while pending: the platform page where the buyer confirms (show it as a "
        "link and a QR code)"
    )
    created_at: UtcDatetime


def profile_out(member: Member, buyer_id: str, language: str | None = None) -> ProfileOut:
    return ProfileOut(
        buyer_id=buyer_id, name=str(member), timezone=member.timezone, language=language
    )


def buyer_address_out(address: Address) -> BuyerAddressOut:
    fields = {name: getattr(address, name) for name in AddressOut.model_fields}
    return BuyerAddressOut(id=address.pk, is_default=address.is_default, **fields)


def buyer_order_out(order: Order, app_id: int | None = None) -> BuyerOrderOut:
    """Expects shop and lines (with items) loaded, and `placed_by` selected when app_id is given."""
    c = order.currency
    placed = getattr(order, "placed_by", None) if app_id is not None else None
    address = order.address or {}
    return BuyerOrderOut(
        id=order.public_id,
        number=order.number,
        status=order.status,
        shop=ShopRef(id=order.shop.public_id, name=order.shop.name),
        lines=[line_out(line, c) for line in order.lines.all()],
        items_amount=money(order.items_amount, c),
        discount_amount=money(order.discount_amount, c),
        shipping_amount=money(order.shipping_amount, c),
        total_amount=money(order.total_amount, c),
        refunded_amount=money(order.refunded_amount, c),
        address=AddressOut(**{k: str(address.get(k, "")) for k in AddressOut.model_fields}),
        buyer_note=order.buyer_note,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        placed_by_this_app=placed is not None and placed.app_id == app_id,
        created_at=order.created_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        completed_at=order.completed_at,
        cancelled_at=order.cancelled_at,
    )


def payment_request_out(request: PaymentRequest, confirmation_url: str | None) -> PaymentRequestOut:
    return PaymentRequestOut(
        id=request.public_id,
        order_id=request.order.public_id,
        amount=money(request.amount),
        status=request.status,
        within_limit=request.within_limit,
        confirmation_url=confirmation_url if request.status == "pending" else None,
        created_at=request.created_at,
    )
