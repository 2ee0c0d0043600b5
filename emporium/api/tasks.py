"""Upkeep of the API's own tables, run by the worker: expired idempotency keys, old call log rows."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from emporium.api import calllog, idempotency


@db_periodic_task(crontab(hour="3", minute="41"))
def nightly_api_upkeep() -> None:
    idempotency.purge_expired()
    calllog.purge(older_than_days=settings.API_CALL_LOG_RETENTION_DAYS)
