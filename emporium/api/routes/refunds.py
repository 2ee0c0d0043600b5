"""Refunds: list the shop's refund requests, agree to one, or refuse it with a note."""

from typing import Literal
from uuid import UUID

from django.db.models import QuerySet
from ninja import Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import not_found
from emporium.api.pagination import paginate
from emporium.api.schemas.common import PageQuery
from emporium.api.schemas.refunds import AgreeIn, RefuseIn
from emporium.resources.common import Page
from emporium.resources.refunds import RefundOut, refund_out
from emporium.shops.models import Shop
from emporium.trade import refunds
from emporium.trade.models import Refund

router = Router(tags=["refunds"])


class RefundFilter(PageQuery):
    status: Literal["requested", "refused", "disputed", "agreed", "closed"] | None = None


def refunds_of(shop: Shop) -> QuerySet[Refund]:
    return Refund.objects.filter(order__shop=shop).select_related("order")


def own_refund(shop: Shop, refund_id: UUID) -> Refund:
    refund = refunds_of(shop).filter(public_id=refund_id).first()
    if refund is None:
        raise not_found()
    return refund


@router.get("", response=Page[RefundOut], auth=Scoped("refunds:read"))
def list_refunds(request: ApiRequest, filters: Query[RefundFilter]) -> dict:
    """Refund requests on the shop's orders, newest first."""
    found = refunds_of(request.auth.acting_for)
    if filters.status:
        found = found.filter(status=filters.status)
    rows, cursor = paginate(found, filters, key="created_at", descending=True, name="refunds")
    return {"data": [refund_out(r) for r in rows], "next_cursor": cursor}


@router.get("/{refund_id}", response=RefundOut, auth=Scoped("refunds:read"))
def get_refund(request: ApiRequest, refund_id: UUID) -> RefundOut:
    return refund_out(own_refund(request.auth.acting_for, refund_id))


@router.post("/{refund_id}/agree", response=RefundOut, auth=Scoped("refunds:write"))
def agree_refund(request: ApiRequest, refund_id: UUID, payload: AgreeIn) -> RefundOut:
    """Pay the amount back from escrow; a full refund cancels the order."""
    refunds.agree(own_refund(request.auth.acting_for, refund_id), actor="seller", note=payload.note)
    return refund_out(own_refund(request.auth.acting_for, refund_id))


@router.post("/{refund_id}/refuse", response=RefundOut, auth=Scoped("refunds:write"))
def refuse_refund(request: ApiRequest, refund_id: UUID, payload: RefuseIn) -> RefundOut:
    """Refuse with a note; the buyer may then ask the operator to decide."""
    refunds.refuse(own_refund(request.auth.acting_for, refund_id), payload.note)
    return refund_out(own_refund(request.auth.acting_for, refund_id))
