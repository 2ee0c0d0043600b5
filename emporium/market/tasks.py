"""Market upkeep run by the worker: monthly charges and erasure requests after uninstalls."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="11"))
def market_billing() -> None:
    """Hourly: charge subscriptions whose period ended; retry unpaid ones, suspend after grace."""
    from emporium.market.billing import charge_due_subscriptions

    charge_due_subscriptions()


@db_periodic_task(crontab(minute="*/15"))
def market_erasures() -> None:
    from emporium.market.installs import request_erasures

    request_erasures()
