"""The worker's schedule for customer events: batches every minute, pruning every night."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from emporium.customer_events import batches


@db_periodic_task(crontab(minute="*"))
def publish_customer_event_batches() -> None:
    batches.publish_batches()


@db_periodic_task(crontab(hour="4", minute="23"))
def prune_customer_events() -> None:
    batches.prune()
