"""`emporium worker --no-schedules`: a second worker on the shared queue consumes tasks but never
enqueues the periodic ones, so each schedule runs once per minute, not once per worker."""

import pytest
from django.core.management import call_command
from huey import MemoryHuey, crontab
from huey.consumer import Consumer

from emporium.cli import build_parser, huey_options


def consumer_of(argv: list[str], monkeypatch) -> Consumer:
    """The consumer `emporium worker <argv>` hands to huey's run_huey, caught before it runs."""
    caught: list[Consumer] = []
    monkeypatch.setattr(Consumer, "run", lambda self: caught.append(self))
    call_command("run_huey", **huey_options(build_parser().parse_args(["worker", *argv])))
    return caught[0]


def periodic_enqueued(consumer: Consumer) -> int:
    """Tasks one scheduler round of this consumer's kind enqueues, on a queue with one task due
    every minute."""
    queue = MemoryHuey(immediate=False)

    @queue.periodic_task(crontab(minute="*"))
    def every_minute() -> None:
        pass

    scheduler = Consumer(queue, periodic=consumer.periodic)._create_scheduler()
    scheduler.loop()  # now: a task due every minute is due
    return queue.pending_count()


@pytest.mark.parametrize(("argv", "expected"), [([], 1), (["--no-schedules"], 0)])
def test_only_the_worker_with_schedules_enqueues_periodic_tasks(argv, expected, monkeypatch):
    assert periodic_enqueued(consumer_of(argv, monkeypatch)) == expected
