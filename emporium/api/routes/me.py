"""The buyer API under /me: a buyer app acts for the buyer who authorized it (docs/api.md)."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from ninja import Query, Router
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import invalid, not_found
from emporium.api.idempotency import idempotent
from emporium.api.pagination import paginate
from emporium.api.schemas.common import PageQuery
from emporium.api.schemas.me import PlaceOrderIn
from emporium.catalog.models import Sku
from emporium.ecosystem import buyer_grants, buyer_orders
from emporium.ecosystem.models import PaymentRequest
from emporium.members.models import Address, Member
from emporium.resources.buyers import (
    BuyerAddressOut,
    BuyerOrderOut,
    PaymentRequestOut,
    ProfileOut,
    buyer_address_out,
    buyer_order_out,
    payment_request_out,
    profile_out,
)
from emporium.resources.common import Page
from emporium.trade.models import Order, OrderLine

router = Router(tags=["me"])


def orders_of(buyer: Member) -> QuerySet[Order]:
    lines = OrderLine.objects.select_related("item")
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("shop", "placed_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def own_order(buyer: Member, order_id: UUID) -> Order:
    order = orders_of(buyer).filter(public_id=order_id).first()
    if order is None:
        raise not_found()
    return order


@router.get("/profile", response=ProfileOut, auth=Scoped("buyer:profile", buyer=True))
def get_profile(request: ApiRequest) -> ProfileOut:
    """The buyer's display name and the private id this app knows them by."""
    caller = request.auth
    buyer_id = buyer_grants.buyer_app_id(caller.acting_buyer, caller.app)
    if buyer_id is None:  # revoked between the token check and here
        raise not_found()
    return profile_out(caller.acting_buyer, buyer_id)


@router.get(
    "/addresses", response=list[BuyerAddressOut], auth=Scoped("buyer:addresses", buyer=True)
)
def list_addresses(request: ApiRequest) -> list[BuyerAddressOut]:
    """The buyer's shipping addresses, the default first."""
    found = Address.objects.filter(member=request.auth.acting_buyer)
    return [buyer_address_out(address) for address in found]


@router.get(
    "/orders",
    response=Page[BuyerOrderOut],
    auth=Scoped("buyer:orders:read", "buyer:orders:write", buyer=True),
)
def list_my_orders(request: ApiRequest, filters: Query[PageQuery]) -> dict:
    """The buyer's orders in every shop, newest first."""
    caller = request.auth
    found = orders_of(caller.acting_buyer)
    rows, cursor = paginate(found, filters, key="created_at", descending=True, name="my_orders")
    return {"data": [buyer_order_out(o, caller.app.pk) for o in rows], "next_cursor": cursor}


@router.get(
    "/orders/{order_id}",
    response=BuyerOrderOut,
    auth=Scoped("buyer:orders:read", "buyer:orders:write", buyer=True),
)
def get_my_order(request: ApiRequest, order_id: UUID) -> BuyerOrderOut:
    """One of the buyer's orders and its state."""
    caller = request.auth
    return buyer_order_out(own_order(caller.acting_buyer, order_id), caller.app.pk)


def _wanted(payload: PlaceOrderIn) -> list[tuple[Sku, int]]:
    skus = Sku.objects.select_related("item").in_bulk([line.sku_id for line in payload.lines])
    wanted = []
    for index, line in enumerate(payload.lines):
        sku = skus.get(line.sku_id)
        if sku is None or sku.item.public_id != line.item_id:
            raise invalid(f"lines.{index}.sku_id", "No such SKU of that item.")
        wanted.append((sku, line.quantity))
    return wanted


@router.post(
    "/orders",
    response={201: list[BuyerOrderOut]},
    auth=Scoped("buyer:orders:write", buyer=True),
)
@idempotent
def place_order(request: ApiRequest, payload: PlaceOrderIn) -> Status:
    """Place an order for the buyer: one order per shop, priced, promoted and reserved exactly as
    the storefront's checkout does. It waits for payment (see payment-request)."""
    caller = request.auth
    buyer = caller.acting_buyer
    address = Address.objects.filter(member=buyer, pk=payload.address_id).first()
    if address is None:
        raise invalid("address_id", "Choose one of the buyer's addresses (GET /me/addresses).")
    placed = buyer_orders.place_order(caller.app, buyer, address, _wanted(payload), payload.note)
    fresh = orders_of(buyer).filter(pk__in=[o.pk for o in placed]).order_by("pk")
    return Status(201, [buyer_order_out(order, caller.app.pk) for order in fresh])


@router.post(
    "/orders/{order_id}/confirm-receipt",
    response=BuyerOrderOut,
    auth=Scoped("buyer:orders:write", buyer=True),
)
def confirm_my_receipt(request: ApiRequest, order_id: UUID) -> BuyerOrderOut:
    """The buyer has the goods: the order completes and the seller is paid from escrow."""
    caller = request.auth
    order = own_order(caller.acting_buyer, order_id)
    buyer_orders.confirm_receipt(caller.app, caller.acting_buyer, order)
    return buyer_order_out(own_order(caller.acting_buyer, order_id), caller.app.pk)


def confirmation_url(request: ApiRequest, payment: PaymentRequest) -> str:
    return request.build_absolute_uri(reverse("pay_request", args=[payment.public_id]))


@router.post(
    "/orders/{order_id}/payment-request",
    response={200: PaymentRequestOut, 201: PaymentRequestOut},
    auth=Scoped("buyer:pay", buyer=True),
)
def request_payment(request: ApiRequest, order_id: UUID) -> Status:
    """Ask for the order to be paid from the buyer's wallet. Inside the daily limit the buyer set
    for this app it is paid at once (status `paid`); otherwise the buyer confirms it on the
    platform at `confirmation_url` (status `pending`). Asking again returns the same request."""
    caller = request.auth
    order = own_order(caller.acting_buyer, order_id)
    payment = buyer_orders.request_payment(caller.app, caller.acting_buyer, order)
    status = 201 if payment.status == PaymentRequest.Status.PAID else 200
    return Status(status, payment_request_out(payment, confirmation_url(request, payment)))
