"""App billing: subscriptions charged per 30-day period from the seller's balance, plan changes with
proration, capped usage charges, suspension after a grace period, and the developer's revenue share.

Every charge is one balanced ledger posting: the seller's balance pays, platform revenue keeps
APP_MARKET_COMMISSION of it and the rest is owed to the developer (their ISV payable account).
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emporium.ecosystem.models import App, Installation
from emporium.finance import ledger
from emporium.finance.amounts import FinanceError, check_amount
from emporium.finance.ledger import InsufficientFunds, Leg
from emporium.finance.models import Posting
from emporium.finance.payouts import pay_out
from emporium.lib import clock, money
from emporium.lib.errors import DomainError
from emporium.market.models import Invoice, Payout, Plan, Subscription, UsageCharge
from emporium.members.models import Member
from emporium.shops.models import Shop

# Fixed-length periods (as app stores bill): no month-end drift and exact proration.
PERIOD = timedelta(days=30)
APP_REVENUE = ledger.APP_REVENUE  # the account app-charge commissions go to
MAX_PLAN_PRICE = Decimal("100000.00")
# A worker that was down for a long time catches up at most this many periods per run.
MAX_PERIODS_PER_RUN = 24
S = Subscription.Status
LIVE = (S.TRIALING, S.ACTIVE, S.PAST_DUE, S.SUSPENDED)


class BillingError(DomainError):
    """A billing rule refused; `code` is the API's error code, `field` the input at fault."""

    def __init__(self, message: str, code: str, field: str | None = None, status: int = 422):
        super().__init__(message, code=code, field=field, status=status)

    @classmethod
    def of(cls, error: FinanceError) -> "BillingError":
        """The same refusal from finance, as billing's own (its callers catch BillingError)."""
        return cls(str(error), error.code, error.field)


def split(amount: Decimal) -> tuple[Decimal, Decimal]:
    """(platform commission, developer share) of a charge; the two always add up to `amount`."""
    return money.split(amount, settings.APP_MARKET_COMMISSION)


def prorated(price: Decimal, remaining: timedelta, length: timedelta) -> Decimal:
    """The part of a period's price for the time left in it, to the cent."""
    money.exact(price, "a plan price")
    if remaining <= timedelta(0) or length <= timedelta(0):
        return money.ZERO
    share = Decimal(int(remaining.total_seconds())) / Decimal(int(length.total_seconds()))
    return min(price, money.to_cents(price * share))


def check_money(
    raw: str | Decimal | int,
    field: str,
    low: Decimal = money.CENT,
    high: Decimal | None = None,
) -> Decimal:
    """A positive amount with at most two decimal places (text or Decimal, never a float)."""
    try:
        return check_amount(raw, field=field, low=low, high=high)
    except FinanceError as error:
        raise BillingError.of(error) from None


# --- charging -------------------------------------------------------------------------------


def _invoice(
    sub: Subscription,
    kind: str,
    amount: Decimal,
    description: str,
    start: datetime,
    end: datetime | None = None,
) -> Invoice:
    inst = sub.installation
    return Invoice(
        subscription=sub, shop=inst.shop, app=inst.app, kind=kind, status=Invoice.Status.OPEN,
        description=description[:200], amount=amount, period_start=start, period_end=end,
        created_at=clock.now(),
    )  # fmt: skip


def _pay(invoice: Invoice) -> bool:
    """Move the invoice's amount through the ledger; False (nothing written) when the seller's
    balance is short."""
    inst = invoice.subscription.installation
    commission, developer_share = split(invoice.amount)
    try:
        with transaction.atomic():
            posting = None
            if invoice.amount:
                posting = ledger.post(
                    Posting.Reason.APP_CHARGE,
                    f"app-invoice:{invoice.pk}",
                    [
                        Leg(ledger.seller_balance(inst.shop.owner), -invoice.amount),
                        Leg(ledger.app_revenue(), commission),
                        Leg(ledger.developer_payable(inst.app.user), developer_share),
                    ],
                    memo=f"{inst.app.name}: {invoice.description}"[:200],
                )
            invoice.posting, invoice.status, invoice.paid_at = (
                posting,
                Invoice.Status.PAID,
                clock.now(),
            )
            invoice.commission_amount, invoice.developer_amount = commission, developer_share
            invoice.save()
    except InsufficientFunds:
        return False
    return True


def _charge_now(
    sub: Subscription,
    kind: str,
    amount: Decimal,
    description: str,
    start: datetime,
    end: datetime | None = None,
) -> Invoice:
    """Charge at once or refuse (raising, so the caller's transaction rolls back)."""
    invoice = _invoice(sub, kind, amount, description, start, end)
    invoice.save()
    if not _pay(invoice):
        raise BillingError(
            _("Your shop balance is less than %(amount)s. Wait for a settlement, then try again.")
            % {"amount": amount},
            "insufficient_balance",
            status=402,
        )
    return invoice


def _use_credit(sub: Subscription, amount: Decimal) -> Decimal:
    """What is left to pay after the subscription's credit (from a downgrade) is spent on it."""
    used = min(sub.credit_amount, amount)
    sub.credit_amount -= used
    return amount - used


def _monthly_description(plan: Plan) -> str:
    return _("%(plan)s, 30 days") % {"plan": plan.name}


def _start_plan(sub: Subscription, plan: Plan, now: datetime) -> None:
    """Begin a fresh period on `plan`: a trial once per installation, else charge up front."""
    sub.plan, sub.past_due_since, sub.trial_ends_at = plan, None, None
    if plan.kind == Plan.Kind.MONTHLY and plan.trial_days and not sub.trial_used:
        sub.status, sub.trial_used = S.TRIALING, True
        sub.trial_ends_at = now + timedelta(days=plan.trial_days)
        sub.period_start, sub.period_end = now, sub.trial_ends_at
        return
    sub.status, sub.period_start, sub.period_end = S.ACTIVE, now, now + PERIOD
    if plan.kind == Plan.Kind.MONTHLY:
        sub.save()  # the invoice needs the row
        due = _use_credit(sub, plan.price_amount)
        _charge_now(
            sub, Invoice.Kind.SUBSCRIPTION, due, _monthly_description(plan), now, now + PERIOD
        )


def _check_cap(plan: Plan, raw_cap: str | Decimal | None) -> Decimal:
    if plan.kind != Plan.Kind.USAGE:
        return Decimal("0.00")
    if raw_cap in (None, ""):
        raise BillingError(
            _("Set a monthly spending limit for this app."), "cap_required", "usage_cap"
        )
    return check_money(raw_cap, "usage_cap", high=MAX_PLAN_PRICE)


def _check_plan(installation: Installation, plan: Plan) -> None:
    if plan.listing.app_id != installation.app_id or plan.retired:
        raise BillingError(_("Choose one of this app's plans."), "bad_plan", "plan")


@transaction.atomic
def subscribe(
    installation: Installation, plan: Plan, usage_cap: str | Decimal | None = None
) -> Subscription:
    """Put a (re-)installed app on a plan. A monthly plan without a trial is charged at once."""
    _check_plan(installation, plan)
    cap = _check_cap(plan, usage_cap)
    now = clock.now()
    sub = Subscription.objects.select_for_update().filter(installation=installation).first()
    if sub is None:
        sub = Subscription(installation=installation, created_at=now)
    sub.installation = installation
    sub.usage_cap_amount, sub.cancelled_at = cap, None
    _start_plan(sub, plan, now)
    sub.save()
    return sub


@transaction.atomic
def change_plan(
    sub: Subscription, plan: Plan, usage_cap: str | Decimal | None = None
) -> Subscription:
    """Switch plans now. Monthly → monthly is prorated over the current period: the unused part of
    the old price is credited, the new price for the rest of the period is charged (only the
    difference moves). Leaving a monthly plan keeps its unused part as credit for later charges."""
    sub = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "installation")
        .get(pk=sub.pk)
    )
    _check_plan(sub.installation, plan)
    cap = _check_cap(plan, usage_cap)
    if sub.status == S.CANCELLED:
        raise BillingError(_("Install the app again first."), "not_subscribed", status=409)
    if sub.status in (S.PAST_DUE, S.SUSPENDED):
        raise BillingError(
            _("Pay the unpaid invoice before changing plans."), "payment_overdue", status=409
        )
    if plan == sub.plan and cap == sub.usage_cap_amount:
        raise BillingError(_("The app is already on this plan."), "same_plan", "plan")
    now, old = clock.now(), sub.plan
    sub.usage_cap_amount = cap
    if plan == old:
        sub.save(update_fields=["usage_cap_amount"])
        return sub
    unused = Decimal("0.00")
    if old.kind == Plan.Kind.MONTHLY and sub.status == S.ACTIVE:
        unused = prorated(old.price_amount, sub.period_end - now, sub.period_end - sub.period_start)
    if plan.kind == Plan.Kind.MONTHLY and sub.status == S.TRIALING:
        sub.plan = plan  # the trial runs on; the first charge is the new plan's price
    elif plan.kind == Plan.Kind.MONTHLY and old.kind == Plan.Kind.MONTHLY:
        due = prorated(plan.price_amount, sub.period_end - now, sub.period_end - sub.period_start)
        sub.plan = plan
        if due > unused:
            owed = _use_credit(sub, due - unused)
            text = _("Change from %(old)s to %(new)s for the rest of the period") % {
                "old": old.name,
                "new": plan.name,
            }
            _charge_now(sub, Invoice.Kind.PRORATION, owed, text, now, sub.period_end)
        else:
            sub.credit_amount += unused - due
    else:
        sub.credit_amount += unused
        _start_plan(sub, plan, now)
    sub.save()
    return sub


def _renew(sub: Subscription, now: datetime) -> None:
    """Charge every period that fell due (a locked row: two workers never charge one twice)."""
    grace = timedelta(days=settings.APP_BILLING_GRACE_DAYS)
    for _period in range(MAX_PERIODS_PER_RUN):
        if sub.period_end > now:
            break
        start, end = sub.period_end, sub.period_end + PERIOD
        if sub.plan.kind == Plan.Kind.MONTHLY:
            invoice = Invoice.objects.filter(
                subscription=sub, kind=Invoice.Kind.SUBSCRIPTION, period_start=start
            ).first()
            if invoice is None:
                due = _use_credit(sub, sub.plan.price_amount)
                invoice = _invoice(
                    sub, Invoice.Kind.SUBSCRIPTION, due, _monthly_description(sub.plan), start, end
                )
                invoice.save()
            if invoice.status == Invoice.Status.OPEN and not _pay(invoice):
                sub.past_due_since = sub.past_due_since or start
                sub.status = S.SUSPENDED if now >= sub.past_due_since + grace else S.PAST_DUE
                break
        sub.period_start, sub.period_end = start, end
        sub.status, sub.past_due_since, sub.trial_ends_at = S.ACTIVE, None, None
    sub.save()


def renew(sub: Subscription, now: datetime | None = None) -> Subscription:
    """Charge what is due now; also how a seller pays an unpaid invoice after topping up."""
    with transaction.atomic():
        locked = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("plan", "installation__shop__owner", "installation__app__user")
            .get(pk=sub.pk)
        )
        if locked.status in LIVE:
            _renew(locked, now or clock.now())
    return locked


def charge_due_subscriptions(now: datetime | None = None) -> int:
    """Run by the worker: renew every live subscription whose period ended. Returns how many."""
    now = now or clock.now()
    due = Subscription.objects.filter(status__in=LIVE, period_end__lte=now).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due):
        renew(Subscription(pk=pk), now)
        count += 1
    return count


def cancel(installation: Installation) -> None:
    """On uninstall: no further charges; an unpaid invoice is voided (nothing moved for it)."""
    sub = Subscription.objects.filter(installation=installation).first()
    if sub is None or sub.status == S.CANCELLED:
        return
    Invoice.objects.filter(subscription=sub, status=Invoice.Status.OPEN).update(
        status=Invoice.Status.VOID
    )
    sub.status, sub.cancelled_at, sub.past_due_since = S.CANCELLED, clock.now(), None
    sub.save(update_fields=["status", "cancelled_at", "past_due_since"])


def suspended_subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.filter(status=S.SUSPENDED)


def is_suspended(app_id: int, shop_id: int) -> bool:
    """Whether the (app, shop) installation lost API access for an unpaid invoice."""
    return Subscription.objects.filter(
        installation__app_id=app_id, installation__shop_id=shop_id, status=S.SUSPENDED
    ).exists()


# --- usage charges --------------------------------------------------------------------------


def _roll_window(sub: Subscription, now: datetime) -> None:
    """A usage plan's cap counts per 30-day window; move the window up to now."""
    while sub.period_end <= now:
        sub.period_start, sub.period_end = sub.period_end, sub.period_end + PERIOD
    sub.save(update_fields=["period_start", "period_end"])


def usage_in_window(sub: Subscription) -> Decimal:
    # Summed in Python: SQLite would add decimals as floats.
    amounts = UsageCharge.objects.filter(
        subscription=sub, created_at__gte=sub.period_start, created_at__lt=sub.period_end
    ).values_list("amount", flat=True)
    return sum(amounts, Decimal("0.00"))


def usage_left(sub: Subscription) -> Decimal:
    """What the app may still charge in the current window: the seller's cap less what was charged,
    never below zero (a cap lowered below this window's charges leaves nothing, not a debt)."""
    return max(sub.usage_cap_amount - usage_in_window(sub), money.ZERO)


def subscription_of(app: App, shop: Shop) -> Subscription | None:
    return (
        Subscription.objects.select_related("plan", "installation")
        .filter(installation__in=Installation.objects.active().filter(app=app, shop=shop))
        .exclude(status=S.CANCELLED)
        .first()
    )


@transaction.atomic
def charge_usage(app: App, shop: Shop, amount: str | Decimal, description: str) -> UsageCharge:
    """An app charges the seller for use, at once, within the monthly limit the seller approved."""
    found = subscription_of(app, shop)
    if found is None:
        raise BillingError(_("The shop has not installed this app."), "not_subscribed", status=409)
    sub = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "installation__shop__owner", "installation__app__user")
        .get(pk=found.pk)
    )
    if sub.plan.kind != Plan.Kind.USAGE:
        raise BillingError(
            _("The shop's plan for this app is not usage-based."), "usage_not_in_plan", status=409
        )
    amount = check_money(amount, "amount", high=MAX_PLAN_PRICE)
    description = (description or "").strip()
    if not description or len(description) > 200:
        raise BillingError(
            _("Describe the charge in 1 to 200 characters."), "bad_description", "description"
        )
    now = clock.now()
    _roll_window(sub, now)
    left = usage_left(sub)
    if amount > left:
        raise BillingError(
            _("This charge would pass the monthly limit the seller approved: %(left)s is left "
              "until %(until)s.") % {"left": left, "until": sub.period_end.date()},
            "usage_cap_exceeded",
            "amount",
            status=402,
        )  # fmt: skip
    invoice = _charge_now(sub, Invoice.Kind.USAGE, amount, description, now)
    return UsageCharge.objects.create(
        subscription=sub, invoice=invoice, amount=amount, description=description, created_at=now
    )


# --- what sellers and developers see ----------------------------------------------------------


def invoices_for(shop: Shop) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(shop=shop).exclude(status=Invoice.Status.VOID).select_related("app")
    )


def earnings_for(developer: Member) -> QuerySet[Invoice]:
    return Invoice.objects.filter(app__user=developer, status=Invoice.Status.PAID).select_related(
        "app", "shop"
    )


def developer_balance(developer: Member) -> Decimal:
    return ledger.balance_of(ledger.developer_code(developer))


@transaction.atomic
def request_payout(developer: Member, amount: str | Decimal, bank_account: str) -> Payout:
    """Pay the developer's earned share out to their bank: the same flow and rules as a seller's
    withdrawal (finance.payouts)."""
    try:
        paid = pay_out(
            ledger.developer_payable(developer),
            amount,
            bank_account,
            reason=Posting.Reason.APP_PAYOUT,
            reference=f"developer:{developer.pk}",
            shortfall=_("Your earnings are less than that."),
        )
    except FinanceError as error:
        raise BillingError.of(error) from None
    return Payout.objects.create(
        developer=developer, amount=paid.amount, bank_account=paid.bank_account,
        posting=paid.posting, created_at=clock.now(),
    )  # fmt: skip
