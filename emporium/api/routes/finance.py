"""Finance (read only): the shop's balance and its movements, settlements and the platform's fees."""

from typing import Literal

from ninja import Field, Query, Router

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.pagination import paginate
from emporium.api.schemas.common import AwareTime, PageQuery
from emporium.finance import balance
from emporium.finance.settlements import as_settlements, charged_orders, fee_of, settlement_postings
from emporium.resources.common import Page, money
from emporium.resources.finance import (
    BalanceOut,
    BalanceTransactionOut,
    FeeOut,
    SettlementOut,
    balance_transaction_out,
)

router = Router(tags=["finance"])


class PeriodFilter(PageQuery):
    since: AwareTime | None = Field(None, description="inclusive, ISO 8601 with a zone")
    until: AwareTime | None = Field(None, description="exclusive")


def _within(rows, field: str, filters: PeriodFilter):
    if filters.since:
        rows = rows.filter(**{f"{field}__gte": filters.since})
    if filters.until:
        rows = rows.filter(**{f"{field}__lt": filters.until})
    return rows


@router.get("/settlements", response=Page[SettlementOut], auth=Scoped("finance:read"))
def list_settlements(request: ApiRequest, filters: Query[PeriodFilter]) -> dict:
    """Each settled order's release from escrow, newest first, straight from the ledger."""
    shop = request.auth.acting_for
    postings = _within(settlement_postings(shop), "created_at", filters)
    rows, cursor = paginate(
        postings, filters, key="created_at", descending=True, name="settlements"
    )
    data = [
        SettlementOut(
            id=posting.pk,
            order_id=row.order.public_id if row.order else None,
            order_number=row.number,
            gross=money(row.gross),
            commission=money(row.commission),
            net=money(row.net),
            settled_at=row.at,
        )
        for posting, row in zip(rows, as_settlements(shop, rows), strict=True)
    ]
    return {"data": data, "next_cursor": cursor}


@router.get("/fees", response=Page[FeeOut], auth=Scoped("finance:read"))
def list_fees(request: ApiRequest, filters: Query[PeriodFilter]) -> dict:
    """The commission charged on each settled order, newest first."""
    orders = _within(charged_orders(request.auth.acting_for), "settled_at", filters)
    rows, cursor = paginate(orders, filters, key="settled_at", descending=True, name="fees")
    data = [
        FeeOut(
            kind=fee.kind,
            order_id=fee.order.public_id,
            order_number=fee.order.number,
            base=money(fee.base, fee.order.currency),
            amount=money(fee.amount, fee.order.currency),
            charged_at=fee.charged_at,
        )
        for fee in map(fee_of, rows)
    ]
    return {"data": data, "next_cursor": cursor}


class BalanceFilter(PeriodFilter):
    type: (
        Literal["settlement", "refund", "withdrawal", "app_charge", "app_refund", "adjustment"]
        | None
    ) = Field(None, description="only movements of this type")


@router.get("/balance", response=BalanceOut, auth=Scoped("finance:read"))
def get_balance(request: ApiRequest) -> BalanceOut:
    """The shop's balance (with the newest movement it includes) and what escrow holds for it."""
    shop = request.auth.acting_for
    amount, last = balance.available(shop)
    return BalanceOut(
        available=money(amount),
        escrow=money(balance.escrow(shop)),
        last_transaction_id=f"btx_{last.pk}" if last else None,
    )


@router.get(
    "/balance-transactions", response=Page[BalanceTransactionOut], auth=Scoped("finance:read")
)
def list_balance_transactions(request: ApiRequest, filters: Query[BalanceFilter]) -> dict:
    """Every movement of the shop's balance, oldest first, each with the balance after it.

    Ordered by id, which only grows, so a client that keeps the last cursor (or id) misses
    nothing and sees nothing twice when it comes back later."""
    entries = balance.transactions(request.auth.acting_for, filters.type)
    entries = _within(entries, "posting__created_at", filters)
    rows, cursor = paginate(entries, filters, key="pk", name="balance-transactions")
    legs = balance.legs_of(rows)
    data = [balance_transaction_out(entry, legs[entry.posting_id]) for entry in rows]
    return {"data": data, "next_cursor": cursor}
