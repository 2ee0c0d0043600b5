"""Subscriptions over several months with a hand-set clock: trial, charges, proration, failed
charges and suspension, recovery, usage charges and the revenue share — the books balance after
every step, to the cent."""

from datetime import timedelta
from decimal import Decimal

import pytest

from emporium.api.tests.conftest import error_of
from emporium.finance import ledger
from emporium.finance.ledger import Leg
from emporium.finance.models import Withdrawal
from emporium.finance.notifications import run_sandbox_bank
from emporium.finance.wallets import withdraw
from emporium.lib.errors import DomainError
from emporium.lib.money import FloatRefused
from emporium.market import billing, installs
from emporium.market.billing import BillingError
from emporium.market.models import Invoice, Payout, Subscription
from emporium.market.tests.conftest import START, balance, fund, plan

D = Decimal
S = Subscription.Status


def revenue() -> Decimal:
    return ledger.balance_of(billing.APP_REVENUE)


def earned(developer) -> Decimal:
    return billing.developer_balance(developer)


@pytest.fixture
def ledger_ok(books_balance):
    return books_balance


def test_a_subscription_over_four_months(
    clock, listing, shop, seller, developer, app_api, ledger_ok
):
    fund(seller, "100.00")
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    assert (sub.status, sub.trial_ends_at) == (S.TRIALING, START + timedelta(days=14))
    assert not Invoice.objects.exists() and balance(seller) == D("100.00")
    ledger_ok()

    # The trial ends: the first 30 days are charged, 20% to the platform, 80% to Dana.
    clock.advance(timedelta(days=14))
    assert billing.charge_due_subscriptions() == 1
    sub.refresh_from_db()
    assert sub.status == S.ACTIVE
    assert sub.period_end == START + timedelta(days=44)
    assert balance(seller) == D("70.00")
    assert (revenue(), earned(developer)) == (D("6.00"), D("24.00"))
    assert billing.charge_due_subscriptions() == 0  # nothing more is due: no double charge
    ledger_ok()

    # Ten days in, an upgrade to Pro: 20 of 30 days left, so 60.00 for Pro less 20.00 unused.
    clock.advance(timedelta(days=10))
    sub = billing.change_plan(sub, plan(listing, "Pro"))
    proration = Invoice.objects.get(kind=Invoice.Kind.PRORATION)
    assert (proration.amount, proration.commission_amount, proration.developer_amount) == (
        D("40.00"), D("8.00"), D("32.00"),
    )  # fmt: skip
    assert balance(seller) == D("30.00")
    assert sub.period_end == START + timedelta(days=44)  # the period does not move
    ledger_ok()

    # Pro falls due with 30.00 in the balance: the charge fails, the app keeps working for now.
    clock.advance(timedelta(days=20))
    billing.charge_due_subscriptions()
    sub.refresh_from_db()
    assert (sub.status, sub.past_due_since) == (S.PAST_DUE, START + timedelta(days=44))
    assert Invoice.objects.get(period_start=sub.period_end, kind="subscription").status == "open"
    assert app_api.get("/shop").status_code == 200
    assert balance(seller) == D("30.00")
    ledger_ok()

    # Three days of grace later the API refuses the app.
    clock.advance(timedelta(days=3))
    billing.charge_due_subscriptions()
    sub.refresh_from_db()
    assert sub.status == S.SUSPENDED
    error = error_of(app_api.get("/shop"), 402, "app_suspended")
    assert "payment" in error["message"]
    assert error_of(app_api.get("/items"), 402, "app_suspended")
    ledger_ok()

    # The seller's balance grows; the worker's next run pays the open invoice and restores access.
    fund(seller, "100.00")
    billing.charge_due_subscriptions()
    sub.refresh_from_db()
    assert (sub.status, sub.past_due_since) == (S.ACTIVE, None)
    assert (sub.period_start, sub.period_end) == (
        START + timedelta(days=44), START + timedelta(days=74),
    )  # fmt: skip
    assert balance(seller) == D("40.00")
    assert app_api.get("/shop").status_code == 200
    assert Invoice.objects.filter(kind="subscription", status="paid").count() == 2
    ledger_ok()

    # A downgrade with 27 of 30 days left: 81.00 unused, 27.00 due — 54.00 becomes credit.
    sub = billing.change_plan(sub, plan(listing, "Basic"))
    assert sub.credit_amount == D("54.00")
    assert balance(seller) == D("40.00")
    # The next Basic charge (30.00) is paid from the credit, leaving 24.00 of it.
    clock.advance(timedelta(days=27))
    billing.charge_due_subscriptions()
    sub.refresh_from_db()
    assert (sub.status, sub.credit_amount, balance(seller)) == (S.ACTIVE, D("24.00"), D("40.00"))
    zero = Invoice.objects.get(kind="subscription", period_start=START + timedelta(days=74))
    assert (zero.amount, zero.status, zero.posting) == (D("0.00"), "paid", None)
    ledger_ok()

    # Every charge split exactly: what the seller paid = platform revenue + Dana's earnings.
    paid = sum(Invoice.objects.filter(status="paid").values_list("amount", flat=True), D(0))
    assert paid == D("200.00") - balance(seller) == revenue() + earned(developer)
    assert (revenue(), earned(developer)) == (D("32.00"), D("128.00"))


def test_a_plan_without_trial_is_charged_at_install_or_refused(clock, listing, shop, seller):
    with pytest.raises(BillingError) as refused:
        installs.install(shop, listing, plan(listing, "Pro"))
    assert refused.value.code == "insufficient_balance"
    # Nothing of the install happened: no installation, no event, no invoice.
    assert not shop.installations.exists() and not Invoice.objects.exists()
    fund(seller, "90.00")
    sub = installs.install(shop, listing, plan(listing, "Pro"))
    assert (sub.status, balance(seller)) == (S.ACTIVE, D("0.00"))


def test_the_trial_is_given_once_per_shop(clock, listing, shop, seller, app):
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    assert sub.status == S.TRIALING
    installs.uninstall(app, shop)
    fund(seller, "30.00")
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    assert (sub.status, balance(seller)) == (S.ACTIVE, D("0.00"))


def test_a_monthly_trial_switches_plans_without_charge(clock, listing, shop, seller):
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    sub = billing.change_plan(sub, plan(listing, "Pro"))
    assert (sub.status, sub.plan.name, sub.period_end) == (
        S.TRIALING, "Pro", START + timedelta(days=14),
    )  # fmt: skip
    assert not Invoice.objects.exists()
    with pytest.raises(BillingError) as same:
        billing.change_plan(sub, plan(listing, "Pro"))
    assert same.value.code == "same_plan"


def test_a_suspended_subscription_cannot_change_plans(clock, listing, shop, seller):
    sub = installs.install(shop, listing, plan(listing, "Basic"))
    clock.advance(timedelta(days=20))
    billing.charge_due_subscriptions()
    sub.refresh_from_db()
    assert sub.status == S.SUSPENDED  # 6 days past due, with an empty balance
    with pytest.raises(BillingError) as refused:
        billing.change_plan(sub, plan(listing, "Metered"), usage_cap="5")
    assert refused.value.code == "payment_overdue"


def test_uninstalling_stops_billing_and_voids_the_open_invoice(clock, listing, shop, app):
    installs.install(shop, listing, plan(listing, "Basic"))
    clock.advance(timedelta(days=15))
    billing.charge_due_subscriptions()
    installs.uninstall(app, shop)
    clock.advance(timedelta(days=60))
    assert billing.charge_due_subscriptions() == 0
    assert list(Invoice.objects.values_list("status", flat=True)) == ["void"]


# --- usage charges through the API -------------------------------------------------------------


@pytest.fixture
def metered(clock, listing, shop, seller):
    fund(seller, "50.00")
    return installs.install(shop, listing, plan(listing, "Metered"), usage_cap="5.00")


def charge(api, amount: str, key: str | None = None, description: str = "42 reports"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(
        "/billing/usage-charges", {"amount": amount, "description": description}, **headers
    )


def test_usage_charges_within_the_cap_and_refused_over_it(
    metered, app_api, seller, developer, ledger_ok
):
    first = charge(app_api, "2.00", key="k-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["amount"] == {"amount": "2.00", "currency": "CNY"}
    assert body["remaining_this_period"]["amount"] == "3.00"
    # A retry with the same key replays the answer and charges nothing more.
    again = charge(app_api, "2.00", key="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert balance(seller) == D("48.00")
    assert charge(app_api, "2.50", key="k-2").status_code == 201
    over = error_of(charge(app_api, "1.00", key="k-3"), 402, "usage_cap_exceeded")
    assert over["field"] == "amount" and "0.50" in over["message"]
    assert charge(app_api, "0.50").status_code == 201
    assert balance(seller) == D("45.00")
    assert (revenue(), earned(developer)) == (D("1.00"), D("4.00"))
    ledger_ok()
    usage = app_api.get("/billing/subscription").json()
    assert (usage["kind"], usage["usage_cap"]["amount"], usage["usage_this_period"]["amount"]) == (
        "usage", "5.00", "5.00",
    )  # fmt: skip


def test_the_usage_cap_starts_over_each_period(metered, app_api, clock, seller):
    assert charge(app_api, "5.00").status_code == 201
    error_of(charge(app_api, "0.01"), 402, "usage_cap_exceeded")
    clock.advance(timedelta(days=30))
    assert charge(app_api, "4.00").status_code == 201
    assert balance(seller) == D("41.00")


def test_commission_is_rounded_to_the_cent_and_the_split_is_exact(
    metered, app_api, developer, ledger_ok
):
    assert charge(app_api, "0.33").status_code == 201
    invoice = Invoice.objects.get(kind="usage")
    assert (invoice.commission_amount, invoice.developer_amount) == (D("0.07"), D("0.26"))
    assert (revenue(), earned(developer)) == (D("0.07"), D("0.26"))
    ledger_ok()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-1.00", "description": "x"}, "amount"),
        ({"amount": "0", "description": "x"}, "amount"),
        ({"amount": "1.001", "description": "x"}, "amount"),
        ({"amount": 1.5, "description": "x"}, "amount"),
        ({"amount": "1.00", "description": ""}, "description"),
        ({"amount": "1.00"}, "description"),
    ],
)
def test_bad_usage_charges_name_the_field(metered, app_api, seller, body, field):
    response = app_api.post("/billing/usage-charges", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert balance(seller) == D("50.00")


def test_usage_charges_need_a_usage_plan(clock, listing, shop, app_api):
    installs.install(shop, listing, plan(listing, "Basic"))
    error_of(charge(app_api, "1.00"), 409, "usage_not_in_plan")


def test_a_usage_charge_the_balance_cannot_pay_is_refused(clock, listing, shop, app_api):
    installs.install(shop, listing, plan(listing, "Metered"), usage_cap="5.00")
    error_of(charge(app_api, "1.00"), 402, "insufficient_balance")
    assert not Invoice.objects.exists()


def test_a_usage_plan_needs_a_cap_the_seller_approved(clock, listing, shop):
    with pytest.raises(BillingError) as refused:
        installs.install(shop, listing, plan(listing, "Metered"))
    assert (refused.value.code, refused.value.field) == ("cap_required", "usage_cap")


# --- the developer's share ---------------------------------------------------------------------


def test_the_developer_is_paid_out_from_their_earnings(metered, app_api, developer, ledger_ok):
    assert charge(app_api, "5.00").status_code == 201
    assert earned(developer) == D("4.00")
    with pytest.raises(BillingError) as refused:
        billing.request_payout(developer, "4.01", "6222 0000 1111")
    assert refused.value.code == "insufficient_funds"
    payout = billing.request_payout(developer, "4.00", "6222 0000 1111")
    assert payout.amount == D("4.00") and earned(developer) == D("0.00")
    assert ledger.balance_of(ledger.PAYOUTS_IN_TRANSIT) == D("4.00")
    run_sandbox_bank()  # the payout provider confirms
    assert ledger.balance_of(ledger.PAYOUTS) == D("4.00")
    ledger_ok()


def test_the_commission_is_configurable(settings, metered, app_api, developer):
    settings.APP_MARKET_COMMISSION = D("0.30")
    assert charge(app_api, "3.00").status_code == 201
    assert (revenue(), earned(developer)) == (D("0.90"), D("2.10"))


# --- money paths: the usage left, floats, one payout rule --------------------------------------


def test_the_usage_left_is_never_below_zero(metered, app_api):
    assert charge(app_api, "4.00").status_code == 201
    # The seller lowers the cap below what this window was already charged.
    sub = billing.change_plan(Subscription.objects.get(), metered.plan, usage_cap="2.00")
    assert (billing.usage_in_window(sub), billing.usage_left(sub)) == (D("4.00"), D("0.00"))
    over = error_of(charge(app_api, "0.01"), 402, "usage_cap_exceeded")
    assert ": 0.00 is left" in over["message"]
    usage = app_api.get("/billing/subscription").json()
    assert usage["usage_this_period"]["amount"] == "4.00"
    assert usage["remaining_this_period"] == {"amount": "0.00", "currency": "CNY"}


def test_the_usage_left_is_reported_after_each_charge_and_on_the_subscription(metered, app_api):
    assert charge(app_api, "1.25").json()["remaining_this_period"]["amount"] == "3.75"
    assert app_api.get("/billing/subscription").json()["remaining_this_period"]["amount"] == "3.75"


@pytest.mark.parametrize(
    "call",
    [
        lambda sub, developer: billing.charge_usage(
            sub.installation.app, sub.installation.shop, 1.0, "42 reports"
        ),
        lambda sub, developer: billing.change_plan(sub, sub.plan, usage_cap=3.0),
        lambda sub, developer: billing.check_money(1.0, "amount"),
        lambda sub, developer: billing.split(1.0),
        lambda sub, developer: billing.prorated(30.0, timedelta(days=1), timedelta(days=30)),
        lambda sub, developer: billing.request_payout(developer, 1.0, "6222"),
    ],
    ids=["charge_usage", "change_plan cap", "check_money", "split", "prorated", "request_payout"],
)
def test_billing_refuses_a_float_with_a_clear_error(metered, developer, seller, call):
    with pytest.raises(FloatRefused, match="never a float"):
        call(metered, developer)
    assert not Invoice.objects.exists() and balance(seller) == D("50.00")


@pytest.mark.parametrize(
    ("amount", "bank_account", "code", "field"),
    [
        ("5.00", "", "bank_account_required", "bank_account"),
        ("5.00", "   ", "bank_account_required", "bank_account"),
        ("5.00", "6" * 61, "bad_bank_account", "bank_account"),
        ("0.99", "6222", "bad_amount", "amount"),
        ("5.001", "6222", "bad_amount", "amount"),
        ("abc", "6222", "bad_amount", "amount"),
        ("10.01", "6222", "insufficient_funds", "amount"),
    ],
)
def test_sellers_and_developers_are_paid_out_by_one_rule(
    seller, developer, amount, bank_account, code, field, ledger_ok
):
    fund(seller, "10.00")
    ledger.post(
        "top_up",
        "test-developer",
        [Leg(ledger.top_ups(), D("-10.00")), Leg(ledger.developer_payable(developer), D("10.00"))],
    )
    for pay_out in (
        lambda: withdraw(seller, amount, bank_account),
        lambda: billing.request_payout(developer, amount, bank_account),
    ):
        with pytest.raises(DomainError) as refused:
            pay_out()
        assert (refused.value.code, refused.value.field) == (code, field)
    assert balance(seller) == earned(developer) == D("10.00")
    withdraw(seller, "10.00", " 6222 ")
    billing.request_payout(developer, "10.00", " 6222 ")
    assert Withdrawal.objects.get().bank_account == Payout.objects.get().bank_account == "6222"
    assert run_sandbox_bank() == 2
    assert ledger.balance_of(ledger.PAYOUTS) == D("20.00")
    ledger_ok()
