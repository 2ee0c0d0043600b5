"""Finance work run by the worker: the sandbox bank answering payouts (only with PAYMENTS_SANDBOX on)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def sandbox_bank() -> None:
    """Every minute: the sandbox bank pays (or refuses) the payouts waiting for it."""
    if not settings.PAYMENTS_SANDBOX:
        return
    from emporium.finance.notifications import run_sandbox_bank

    run_sandbox_bank()
