"""The order state machine: which status may follow which, and the one place a status changes."""

from django.utils.translation import gettext as _

from emporium.events import announce
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.trade.models import Order, OrderLog

S = Order.Status
ALLOWED: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PAID, S.CANCELLED},
    S.PAID: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: {S.SETTLED, S.CANCELLED},
    S.SETTLED: {S.CANCELLED},  # returned in full inside the return window
    S.CANCELLED: set(),
}
# The timestamp column each status stamps when an order enters it.
STAMPS: dict[str, str] = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.COMPLETED: "completed_at",
    S.SETTLED: "settled_at",
    S.CANCELLED: "cancelled_at",
}


class TradeError(DomainError):
    """A trading rule refused the request; `code` is stable for the API, the message is for people."""

    def __init__(self, message: str, code: str = "trade_refused", field: str | None = None):
        super().__init__(message, code=code, field=field)


class TransitionRefused(TradeError):
    def __init__(self, order: Order, to: str):
        super().__init__(
            _("An order that is %(now)s cannot become %(to)s.")
            % {"now": Order.Status(order.status).label, "to": Order.Status(to).label},
            code="invalid_transition",
        )


def move(order: Order, to: str, actor: str, note: str = "", **fields: object) -> None:
    """Change status if the machine allows it and nobody changed it meanwhile; log it."""
    if to not in ALLOWED[order.status]:
        raise TransitionRefused(order, to)
    at = clock.now()
    fields[STAMPS[to]] = at
    # Conditional on the status we read: of two racing moves, exactly one wins.
    if not Order.objects.filter(pk=order.pk, status=order.status).update(status=to, **fields):
        order.refresh_from_db()
        raise TransitionRefused(order, to)
    OrderLog.objects.create(
        order=order, from_status=order.status, to_status=to, actor=actor, note=note, at=at
    )
    order.status = to
    for name, value in fields.items():
        setattr(order, name, value)
    announce.order_changed(order, to)
