"""Which payment and payout provider this platform uses: the sandbox only when PAYMENTS_SANDBOX is on.

No real provider ships with Emporium. A deployment that takes real money adds one implementing
`providers.TopUpProvider` / `providers.PayoutProvider` to `_REAL` below; until then top-ups and
payouts are refused with a clear message rather than simulated.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from emporium.finance import sandbox
from emporium.finance.amounts import FinanceError
from emporium.finance.providers import PayoutProvider, TopUpProvider

_REAL: dict[str, TopUpProvider | PayoutProvider] = {}


def top_up_provider() -> TopUpProvider:
    if settings.PAYMENTS_SANDBOX:
        return sandbox.PROVIDER
    raise FinanceError(
        _("Top-ups are not available: no payment provider is set up."), "no_payment_provider"
    )


def payout_provider() -> PayoutProvider:
    if settings.PAYMENTS_SANDBOX:
        return sandbox.PROVIDER
    raise FinanceError(
        _("Payouts are not available: no payout provider is set up."), "no_payout_provider"
    )


def named(name: str) -> TopUpProvider | PayoutProvider | None:
    """The provider whose notifications arrive under `name`, if it is in use here."""
    if name == sandbox.NAME:
        return sandbox.PROVIDER if settings.PAYMENTS_SANDBOX else None
    return _REAL.get(name)
