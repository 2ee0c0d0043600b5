"""Orders: list with filters, read one, ship it, write the seller's memo."""

from typing import Literal
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from ninja import Field, Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import not_found
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, PageQuery
from emporium.api.schemas.orders import MemoIn, ShipIn
from emporium.resources.common import Page
from emporium.resources.orders import OrderOut, order_out
from emporium.shops.models import Shop
from emporium.trade import orders as trading
from emporium.trade.models import Order, OrderLine

router = Router(tags=["orders"])
Status = Literal["pending_payment", "paid", "shipped", "completed", "settled", "cancelled"]


class OrderFilter(PageQuery):
    status: Status | None = None
    created_after: AwareTime | None = Field(None, description="inclusive, ISO 8601 with a zone")
    created_before: AwareTime | None = Field(None, description="exclusive")


def orders_of(shop: Shop) -> QuerySet[Order]:
    lines = OrderLine.objects.select_related("item")
    return (
        Order.objects.filter(shop=shop)
        .select_related("buyer", "shop")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def own_order(shop: Shop, order_id: UUID) -> Order:
    order = orders_of(shop).filter(public_id=order_id).first()
    if order is None:
        raise not_found()
    return order


@router.get("", response=Page[OrderOut], auth=Scoped("orders:read"))
def list_orders(request: ApiRequest, filters: Query[OrderFilter]) -> dict:
    """The shop's orders, newest first."""
    found = orders_of(request.auth.acting_for)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.created_after:
        found = found.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        found = found.filter(created_at__lt=filters.created_before)
    rows, cursor = paginate(found, filters, key="created_at", descending=True, name="orders")
    return {"data": [order_out(order) for order in rows], "next_cursor": cursor}


@router.get("/{order_id}", response=OrderOut, auth=Scoped("orders:read"))
def get_order(request: ApiRequest, order_id: UUID) -> OrderOut:
    return order_out(own_order(request.auth.acting_for, order_id))


@router.post("/{order_id}/ship", response=OrderOut, auth=Scoped("orders:write"))
def ship_order(request: ApiRequest, order_id: UUID, payload: ShipIn) -> OrderOut:
    """A paid order leaves the shop: carrier and tracking number; refused while a refund is open."""
    trading.ship(
        own_order(request.auth.acting_for, order_id), payload.carrier, payload.tracking_number
    )
    return order_out(own_order(request.auth.acting_for, order_id))


@router.patch("/{order_id}/memo", response=OrderOut, auth=Scoped("orders:write"))
def write_order_memo(request: ApiRequest, order_id: UUID, payload: MemoIn) -> OrderOut:
    """The seller's private note on the order (the buyer never sees it)."""
    order = own_order(request.auth.acting_for, order_id)
    trading.write_memo(order, payload.seller_memo)
    return order_out(order)
