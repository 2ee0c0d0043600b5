"""The worker's event schedules: a safety-net dispatch round and the 7-day retention."""

from datetime import timedelta

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from emporium.events import dispatcher
from emporium.events.models import Event
from emporium.lib import clock


@db_periodic_task(crontab(minute="*"))
def dispatch_round() -> int:
    # The dispatcher thread normally does this within a fraction of a second; this round covers
    # a worker started with DISPATCHER_IN_WORKER off, or a thread that died.
    return dispatcher.run_once()


def forget_old_events() -> int:
    """Events (and their delivery logs) older than the retention period are deleted."""
    cutoff = clock.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)
    deleted, _ = Event.objects.filter(occurred_at__lt=cutoff, position__isnull=False).delete()
    return deleted


@db_periodic_task(crontab(minute="17"))
def forget_old_events_hourly() -> int:
    return forget_old_events()
