"""Refunds: the buyer asks, the seller agrees or refuses, the operator settles a dispute."""

from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from emporium.events import announce
from emporium.finance import ledger
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Posting
from emporium.lib import clock, money
from emporium.members.models import Member
from emporium.trade.bestsellers import count_sales
from emporium.trade.models import Order, Refund
from emporium.trade.orders import (
    commission_on,
    in_return_window,
    release_reservations,
    returns_close_at,
    settle,
)
from emporium.trade.states import TradeError, move

S = Order.Status
R = Refund.Status
REFUNDABLE = (S.PAID, S.SHIPPED, S.COMPLETED)


def can_ask_refund(order: Order) -> bool:
    """Before settlement always; after it, inside the return window (docs/trading.md)."""
    return order.status in REFUNDABLE or in_return_window(order)


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def request_refund(order: Order, buyer: Member, amount: Decimal, reason: str) -> Refund:
    """Ask for all or part of the money back, before or after shipping, with a reason."""
    order = _lock(order)
    if order.buyer_id != buyer.pk:
        raise TradeError(_("That order is not yours."), code="not_yours")
    if not can_ask_refund(order):
        closes = returns_close_at(order)
        if order.status == S.SETTLED and closes is not None:
            raise TradeError(
                _("The return window of this order closed on %(date)s.")
                % {"date": formats.date_format(timezone.localtime(closes), "SHORT_DATE_FORMAT")},
                code="return_window_closed",
            )
        raise TradeError(_("This order can no longer be refunded."), code="not_refundable")
    if order.refunds.filter(status__in=Refund.OPEN).exists():
        raise TradeError(_("A refund request for this order is already open."), code="refund_open")
    refundable = order.total_amount - order.refunded_amount
    if not money.is_cents(amount) or not 0 < amount <= refundable:
        raise TradeError(
            _("Ask for an amount between 0.01 and %(max)s.") % {"max": refundable},
            "bad_amount",
            "amount",
        )
    reason = reason.strip()
    if not reason:
        raise TradeError(_("Say why you want a refund."), code="reason_required", field="reason")
    refund = Refund.objects.create(
        order=order,
        amount=amount,
        reason=reason[:300],
        shipped_when_asked=order.status != S.PAID,
        created_at=clock.now(),
    )
    announce.refund_changed(refund)
    return refund


def _resolve(refund: Refund, allowed: tuple[str, ...], to: str, **fields: object) -> Refund:
    locked = Refund.objects.select_for_update().get(pk=refund.pk)
    if locked.status not in allowed:
        raise TradeError(_("This refund request has already been answered."), code="refund_closed")
    locked.status = to
    if to in (R.AGREED, R.CLOSED):
        locked.resolved_at = clock.now()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    announce.refund_changed(locked, to)
    return locked


@transaction.atomic
def agree(refund: Refund, actor: str = "seller", note: str = "") -> Refund:
    """Pay the refund into the buyer's wallet — out of escrow, or after settlement (a return
    inside the window) out of the seller's balance; a full refund closes the order."""
    note_field = "operator_note" if actor == "operator" else "seller_note"
    refund = _resolve(refund, Refund.OPEN, R.AGREED, **{note_field: note[:300]})
    order = _lock(refund.order)
    if order.status == S.SETTLED:
        _return_after_settlement(order, refund.amount)
    else:
        ledger.post(
            Posting.Reason.REFUND,
            f"order:{order.number}",
            [
                Leg(ledger.escrow(), -refund.amount),
                Leg(ledger.wallet(order.buyer), refund.amount),
            ],
        )
    # The order row is locked; the sum is done in Python so it stays exact on SQLite too.
    order.refunded_amount += refund.amount
    Order.objects.filter(pk=order.pk).update(refunded_amount=order.refunded_amount)
    announce.order_changed(order, "refunded")
    if order.refunded_amount == order.total_amount:
        was_paid_only = order.status == S.PAID
        move(
            order, S.CANCELLED, actor, note=_("refunded in full"), cancel_reason="refunded in full"
        )
        count_sales(order, -1)  # a sale given back in full is no longer shown as sold
        if was_paid_only:
            release_reservations(order)  # the goods never left the shop
    elif order.status == S.COMPLETED:
        settle(order)
    return refund


def _return_after_settlement(order: Order, amount: Decimal) -> None:
    """A return inside the window of a settled order: the seller's balance pays it back, less
    the share of the held commission the platform gives back (the fee is recomputed on what the
    seller finally keeps, as at settlement); the books stay balanced to the cent."""
    kept = order.total_amount - order.refunded_amount - amount
    commission = commission_on(order, kept)
    fee_back = order.commission_amount - commission
    try:
        ledger.post(
            Posting.Reason.REFUND,
            f"order:{order.number}",
            [
                Leg(ledger.seller_balance(order.shop.owner), -(amount - fee_back)),
                Leg(ledger.held_commission(), -fee_back),
                Leg(ledger.wallet(order.buyer), amount),
            ],
        )
    except InsufficientFunds:
        # Withdrawals keep back what returnable orders brought (finance.wallets.withdraw);
        # only app charges taken since can leave less. The operator settles it by hand.
        raise TradeError(
            _("The seller's balance cannot pay this return now; the operator will help."),
            code="seller_balance_short",
        ) from None
    Order.objects.filter(pk=order.pk).update(commission_amount=commission)
    order.commission_amount = commission


@transaction.atomic
def refuse(refund: Refund, note: str) -> Refund:
    note = note.strip()
    if not note:
        raise TradeError(_("Tell the buyer why you refuse."), code="note_required", field="note")
    return _resolve(refund, (R.REQUESTED,), R.REFUSED, seller_note=note[:300])


@transaction.atomic
def escalate(refund: Refund, buyer: Member) -> Refund:
    """After a refusal the buyer may ask the operator to decide."""
    if refund.order.buyer_id != buyer.pk:
        raise TradeError(_("That order is not yours."), code="not_yours")
    return _resolve(refund, (R.REFUSED,), R.DISPUTED)


@transaction.atomic
def withdraw_request(refund: Refund, buyer: Member) -> Refund:
    if refund.order.buyer_id != buyer.pk:
        raise TradeError(_("That order is not yours."), code="not_yours")
    refund = _resolve(refund, Refund.OPEN, R.CLOSED)
    _settle_if_waiting(refund.order)
    return refund


@transaction.atomic
def arbitrate(refund: Refund, for_buyer: bool, note: str) -> Refund:
    """The operator's ruling on a dispute is final."""
    if refund.status != R.DISPUTED:
        raise TradeError(_("Only a disputed refund is arbitrated."), code="not_disputed")
    if for_buyer:
        return agree(refund, actor="operator", note=note)
    refund = _resolve(refund, (R.DISPUTED,), R.CLOSED, operator_note=note[:300])
    _settle_if_waiting(refund.order)
    return refund


def _settle_if_waiting(order: Order) -> None:
    order = _lock(order)
    if order.status == S.COMPLETED and not order.refunds.filter(status__in=Refund.OPEN).exists():
        settle(order)


def waiting_disputes() -> QuerySet[Refund]:
    """Disputes the operator has to rule on, the longest waiting first."""
    return (
        Refund.objects.filter(status=R.DISPUTED)
        .select_related("order__shop", "order__buyer")
        .order_by("created_at", "id")
    )
