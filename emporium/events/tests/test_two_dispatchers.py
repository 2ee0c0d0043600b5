"""Two dispatcher processes at once on PostgreSQL: every delivery is sent once, never twice."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from emporium.events import outbox
from emporium.events.models import Delivery, DeliveryAttempt
from emporium.events.tests.test_faults import database_url

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = 400
WORKER = """
import os, sys, time, django
django.setup()
from emporium.events import dispatcher
from concurrent.futures import ThreadPoolExecutor
while not os.path.exists(sys.argv[1]):  # both workers start on the same signal
    time.sleep(0.01)
tried = 0
if sys.argv[2] == "loop":  # the worker's own loop: publishes lease to their worker
    import threading
    from emporium.events.models import Delivery, Event
    stop = threading.Event()
    loop = threading.Thread(target=dispatcher.run_forever, args=(stop,))
    loop.start()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (
        Delivery.objects.filter(status="delivered").count() < int(sys.argv[3])
        or Event.objects.filter(position__isnull=True).exists()
        or Delivery.objects.filter(status="pending").exists()
    ):
        time.sleep(0.05)
    stop.set()
    loop.join()
    from emporium.events.models import DeliveryAttempt
    tried = DeliveryAttempt.objects.count()  # both workers' together
else:
    with ThreadPoolExecutor(16) as pool:
        while batch := dispatcher.run_once(pool=pool):
            tried += batch
print(tried)
"""


def start_worker(go: str, mode: str = "run_once") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER, go, mode, str(EVENTS)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_dispatchers_at_once_never_send_one_delivery_twice(endpoint, shop, receiver, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: two dispatchers there cannot overlap at all")
    with transaction.atomic():
        for n in range(EVENTS):
            outbox.record("shop.updated", shop=shop, data={"n": n})
    go = tmp_path / "go"
    workers = [start_worker(str(go)), start_worker(str(go))]
    time.sleep(1)  # both have set Django up and wait for the signal
    go.touch()
    tried = [int(w.communicate(timeout=120)[0].strip()) for w in workers]
    sent = Counter(receiver.ids())
    twice = {event_id: count for event_id, count in sent.items() if count > 1}
    assert not twice, f"sent more than once: {twice}"
    assert len(sent) == EVENTS
    assert sum(tried) == EVENTS  # each delivery was tried by exactly one of the two workers
    assert all(tried), f"one worker did everything: {tried}"  # they really ran at once
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert DeliveryAttempt.objects.count() == EVENTS


def test_two_worker_loops_leasing_at_publish_never_send_one_delivery_twice(
    endpoint, shop, receiver, tmp_path
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: two dispatchers there cannot overlap at all")
    go = tmp_path / "go"
    workers = [start_worker(str(go), "loop"), start_worker(str(go), "loop")]
    time.sleep(1)
    go.touch()
    time.sleep(0.5)  # both loops idle, listening: events now arrive as a trickle
    for n in range(EVENTS):
        with transaction.atomic():
            outbox.record("shop.updated", shop=shop, data={"n": n})
        if n % 20 == 0:
            time.sleep(0.01)
    for worker in workers:
        worker.communicate(timeout=120)
    sent = Counter(receiver.ids())
    twice = {event_id: count for event_id, count in sent.items() if count > 1}
    assert not twice, f"sent more than once: {twice}"
    assert len(sent) == EVENTS
    assert DeliveryAttempt.objects.count() == EVENTS
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
