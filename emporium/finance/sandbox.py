"""The sandbox payment and payout provider: the real protocol with pretend money, for the demo and tests.

It exists only while `PAYMENTS_SANDBOX` is on (finance/gateway). Its "card page" is a page of the
platform (`/payments/sandbox/card/<id>/`) where the member chooses to pay or decline; its "bank"
answers payouts from the worker, failing those to a bank account that starts with
`FAILING_ACCOUNT`. Both answer with a notification signed like any provider's.
"""

import hashlib
import hmac
import time
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse

from emporium.finance import providers
from emporium.finance.models import PayoutTransfer, TopUp
from emporium.finance.providers import Notification

NAME = "sandbox"
# Payouts to a bank account starting with this fail, so the returned path can be tried.
FAILING_ACCOUNT = "0000"


def secret() -> str:
    """The secret the sandbox signs with: its own setting, or one derived from SECRET_KEY."""
    configured: str = settings.PAYMENTS_SANDBOX_SECRET
    if configured:
        return configured
    return hmac.new(
        settings.SECRET_KEY.encode(), b"emporium.payments.sandbox", hashlib.sha256
    ).hexdigest()


class SandboxProvider:
    name = NAME

    def start_top_up(self, top_up: TopUp) -> str:
        return reverse("finance:sandbox_card", args=[top_up.public_id])

    def start_payout(self, transfer: PayoutTransfer) -> None:
        """Nothing to send: the sandbox bank (`pending_payouts`) reads what is waiting."""

    def verify(self, body: bytes, headers: Mapping[str, str], now: float) -> Notification:
        providers.check_signature(body, headers.get(providers.SIGNATURE_HEADER), secret(), now)
        return providers.parse(body)


PROVIDER = SandboxProvider()


def signed(notification: Notification) -> tuple[bytes, dict[str, str]]:
    """The body and headers the sandbox sends for `notification`."""
    body = notification.body()
    return body, {providers.SIGNATURE_HEADER: providers.sign(body, secret(), int(time.time()))}


def card_outcome(top_up: TopUp, paid: bool) -> tuple[bytes, dict[str, str]]:
    """What the sandbox's card page sends when the member pays (or declines)."""
    return signed(
        Notification(
            id=f"sbx_{uuid.uuid4().hex}", kind="top_up", intent=str(top_up.public_id),
            outcome="succeeded" if paid else "failed", amount=top_up.amount,
            currency=top_up.currency,
        )
    )  # fmt: skip


def bank_outcome(transfer: PayoutTransfer) -> tuple[bytes, dict[str, str]]:
    """What the sandbox bank sends about a payout it was asked for."""
    failed = transfer.bank_account.replace(" ", "").startswith(FAILING_ACCOUNT)
    return signed(
        Notification(
            id=f"sbx_{uuid.uuid4().hex}", kind="payout", intent=str(transfer.public_id),
            outcome="failed" if failed else "paid", amount=transfer.amount,
            currency=transfer.currency,
        )
    )  # fmt: skip


def pending_payouts() -> list[PayoutTransfer]:
    return list(
        PayoutTransfer.objects.filter(provider=NAME, status=PayoutTransfer.Status.PENDING)[:100]
    )
