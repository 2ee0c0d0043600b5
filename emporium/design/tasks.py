"""The worker starts and ends scheduled design publishes every minute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from emporium.design.actions import run_due_schedules


@db_periodic_task(crontab(minute="*"))
def publish_scheduled_designs() -> int:
    return run_due_schedules()
