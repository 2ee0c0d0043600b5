"""Notifications from payment and payout providers: verified, then applied once.

The one door every provider's answer comes through — the HTTP endpoint (finance/views) and the
sandbox's own card page and bank alike — so the checks cannot be skipped.
"""

import time
from collections.abc import Mapping

from emporium.finance import gateway, sandbox
from emporium.finance.models import PayoutTransfer, TopUp
from emporium.finance.payouts import apply_payout
from emporium.finance.providers import BadNotification
from emporium.finance.wallets import apply_top_up


def receive(provider_name: str, body: bytes, headers: Mapping[str, str]) -> TopUp | PayoutTransfer:
    """Verify a provider's notification and apply it; BadNotification moves nothing."""
    provider = gateway.named(provider_name)
    if provider is None:
        raise BadNotification("no such payment provider here", "unknown_provider")
    notice = provider.verify(body, headers, time.time())
    if notice.kind == "top_up":
        return apply_top_up(provider.name, notice)
    return apply_payout(provider.name, notice)


def run_sandbox_bank() -> int:
    """The sandbox bank answers every payout waiting for it; how many it answered."""
    answered = 0
    for transfer in sandbox.pending_payouts():
        body, headers = sandbox.bank_outcome(transfer)
        receive(sandbox.NAME, body, headers)
        answered += 1
    return answered
