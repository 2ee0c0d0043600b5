"""Orders a buyer app places and payments it asks for: the storefront's checkout and payment, with
the rule that an app never moves a buyer's money silently (confirmation, or the daily limit)."""

import zoneinfo
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from emporium.catalog.models import Sku
from emporium.ecosystem.models import App, AppOrder, BuyerGrant, PaymentRequest
from emporium.lib import clock
from emporium.lib.errors import DomainError
from emporium.members.models import Address, Member
from emporium.trade import orders as trading
from emporium.trade.models import Order

PR = PaymentRequest.Status


class BuyerAppError(DomainError):
    """A buyer app asked for something the buyer's grant does not allow."""


def _live_grant(app: App, buyer: Member, *, lock: bool = False) -> BuyerGrant:
    grants = BuyerGrant.objects.active().filter(app=app, member=buyer)
    grant = (grants.select_for_update() if lock else grants).first()
    if grant is None:
        raise BuyerAppError(
            _("The buyer has not authorized this app, or revoked it."),
            code="not_authorized",
            status=403,
        )
    return grant


@transaction.atomic
def place_order(
    app: App, buyer: Member, address: Address, wanted: list[tuple[Sku, int]], note: str = ""
) -> list[Order]:
    """The storefront's checkout (pricing, promotions, stock reservation: one function), with
    each order remembered as this app's so its buyer-side events reach the app."""
    _live_grant(app, buyer)
    placed = trading.checkout(buyer, address, wanted, note=note)
    at = clock.now()
    AppOrder.objects.bulk_create(AppOrder(order=order, app=app, placed_at=at) for order in placed)
    return placed


def start_of_day(member: Member, at: datetime) -> datetime:
    """Midnight of `at`'s day where the buyer lives: the daily limit starts again then."""
    zone = zoneinfo.ZoneInfo(member.timezone)
    local = at.astimezone(zone)
    return datetime.combine(local.date(), time.min, tzinfo=zone)


def spent_today(app: App, buyer: Member) -> Decimal:
    """What the app has paid today without asking (confirmed payments do not count)."""
    since = start_of_day(buyer, clock.now())
    total = PaymentRequest.objects.filter(
        app=app, buyer=buyer, status=PR.PAID, within_limit=True, decided_at__gte=since
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def request_payment(app: App, buyer: Member, order: Order) -> PaymentRequest:
    """Pay the order now if it fits under what the buyer lets this app spend today; otherwise
    a request the buyer confirms on the platform. Asking twice returns the waiting request."""
    # The grant's row lock serialises one buyer's requests to one app: two at once cannot both
    # fit under the same day's limit.
    grant = _live_grant(app, buyer, lock=True)
    if order.buyer_id != buyer.pk:
        raise BuyerAppError(_("That order is not yours."), code="not_found", status=404)
    waiting = PaymentRequest.objects.filter(app=app, order=order, status=PR.PENDING).first()
    if waiting is not None:
        return waiting
    if order.status != Order.Status.PENDING_PAYMENT:
        raise BuyerAppError(_("This order is not awaiting payment."), code="not_payable")
    now = clock.now()
    fits = spent_today(app, buyer) + order.total_amount <= grant.spending_limit
    request = PaymentRequest.objects.create(
        app=app, buyer=buyer, order=order, amount=order.total_amount, created_at=now
    )
    if fits:
        trading.pay(buyer, [order])
        request.status, request.within_limit, request.decided_at = PR.PAID, True, now
        request.save(update_fields=["status", "within_limit", "decided_at"])
    return request


@transaction.atomic
def confirm(request: PaymentRequest, member: Member) -> PaymentRequest:
    """The buyer confirmed on the platform: pay the order (the storefront's payment)."""
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.buyer_id != member.pk:
        raise BuyerAppError(_("That payment request is not yours."), code="not_found", status=404)
    if locked.status != PR.PENDING:
        raise BuyerAppError(_("This payment request is no longer waiting."), code="not_pending")
    _live_grant(locked.app, member)
    trading.pay(member, [locked.order])
    locked.status, locked.decided_at = PR.PAID, clock.now()
    locked.save(update_fields=["status", "decided_at"])
    return locked


@transaction.atomic
def decline(request: PaymentRequest, member: Member) -> PaymentRequest:
    """The buyer said no: the order stays unpaid and cancels itself on the usual timer."""
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.buyer_id != member.pk:
        raise BuyerAppError(_("That payment request is not yours."), code="not_found", status=404)
    if locked.status == PR.PENDING:
        locked.status, locked.decided_at = PR.DECLINED, clock.now()
        locked.save(update_fields=["status", "decided_at"])
    return locked


@transaction.atomic
def confirm_receipt(app: App, buyer: Member, order: Order) -> Order:
    """The buyer (through the app) has the goods: the storefront's confirmation."""
    _live_grant(app, buyer)
    if order.buyer_id != buyer.pk:
        raise BuyerAppError(_("That order is not yours."), code="not_found", status=404)
    trading.confirm_receipt(order)
    order.refresh_from_db()
    return order


def payments_caused_by_apps(member: Member, limit: int = 50) -> list[PaymentRequest]:
    """Every payment an app caused, newest first, with the app's name (connected-apps page)."""
    return list(
        PaymentRequest.objects.filter(buyer=member)
        .select_related("app", "order")
        .order_by("-created_at")[:limit]
    )
