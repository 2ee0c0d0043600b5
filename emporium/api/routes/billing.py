"""Billing for apps: the shop's subscription to the calling app, and usage charges within its cap."""

from typing import cast

from django.conf import settings
from ninja import Field, Router, Schema
from ninja.responses import Status

from emporium.api.auth import ApiRequest, Scoped
from emporium.api.errors import ApiError
from emporium.api.idempotency import idempotent
from emporium.api.schemas.common import DecimalText, Input
from emporium.market import billing
from emporium.resources.common import Money, UtcDatetime, money

router = Router(tags=["billing"])
# Billing is the app's own business with the shop, so any scope a seller granted will do.
SCOPES = cast(dict[str, str], settings.OAUTH2_PROVIDER["SCOPES"])
ANY_SHOP_SCOPE = tuple(s for s in SCOPES if s != "catalog:read")


class UsageChargeIn(Input):
    amount: DecimalText = Field(description="CNY, a decimal string with at most two places")
    description: str = Field(min_length=1, max_length=200)


class UsageChargeOut(Schema):
    id: int
    amount: Money
    description: str
    created_at: UtcDatetime
    remaining_this_period: Money


class SubscriptionOut(Schema):
    plan: str
    kind: str = Field(description="free, monthly or usage")
    status: str = Field(description="trialing, active, past_due or suspended")
    trial_ends_at: UtcDatetime | None
    period_start: UtcDatetime
    period_end: UtcDatetime
    price: Money | None = Field(description="monthly plans")
    unit_price: Money | None = Field(description="usage plans")
    usage_cap: Money | None = Field(description="usage plans: what the seller approved per period")
    usage_this_period: Money | None
    remaining_this_period: Money | None = Field(
        description="usage plans: what the app may still charge until period_end, never below 0"
    )


@router.get("/subscription", response=SubscriptionOut, auth=Scoped(*ANY_SHOP_SCOPE))
def get_subscription(request: ApiRequest) -> SubscriptionOut:
    """The plan the shop chose for the calling app, and where its billing stands."""
    sub = billing.subscription_of(request.auth.app, request.auth.acting_for)
    if sub is None:
        raise ApiError("not_subscribed", "The shop has not installed this app.", status=409)
    plan = sub.plan
    usage = billing.usage_in_window(sub) if plan.kind == "usage" else None
    return SubscriptionOut(
        plan=plan.name, kind=plan.kind, status=sub.status, trial_ends_at=sub.trial_ends_at,
        period_start=sub.period_start, period_end=sub.period_end,
        price=money(plan.price_amount) if plan.kind == "monthly" else None,
        unit_price=money(plan.unit_price_amount) if plan.kind == "usage" else None,
        usage_cap=money(sub.usage_cap_amount) if plan.kind == "usage" else None,
        usage_this_period=money(usage) if usage is not None else None,
        remaining_this_period=money(billing.usage_left(sub)) if usage is not None else None,
    )  # fmt: skip


@router.post("/usage-charges", response={201: UsageChargeOut}, auth=Scoped(*ANY_SHOP_SCOPE))
@idempotent
def create_usage_charge(request: ApiRequest, payload: UsageChargeIn) -> Status:
    """Charge the shop for use, at once, from its balance; refused past the monthly cap the seller
    approved (`usage_cap_exceeded`) or when the balance is short (`insufficient_balance`). Send an
    Idempotency-Key: a retry with it never charges twice."""
    charge = billing.charge_usage(
        request.auth.app, request.auth.acting_for, payload.amount, payload.description
    )
    left = billing.usage_left(charge.subscription)
    return Status(
        201,
        UsageChargeOut(
            id=charge.pk,
            amount=money(charge.amount),
            description=charge.description,
            created_at=charge.created_at,
            remaining_this_period=money(left),
        ),
    )
