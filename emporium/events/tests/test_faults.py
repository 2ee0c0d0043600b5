"""Fault tests: a worker killed in the middle of a delivery, or of a run of many; after restart
every event arrives, and one sent again carries the id it had (receivers dedupe by it)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from standardwebhooks.webhooks import Webhook

from emporium.events import dispatcher
from emporium.events.models import Delivery, DeliveryAttempt, Event
from emporium.events.schedule import LEASE
from emporium.lib import clock
from emporium.shops.services import update_shop

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = """
import django
django.setup()
from emporium.events import dispatcher
dispatcher.run_once()
"""

# The restarted worker, a minute later: the dead one's leases have run out.
RESTARTED_WORKER = """
import django
django.setup()
from datetime import timedelta
from emporium.events import dispatcher
from emporium.events.schedule import LEASE
from emporium.lib import clock
clock.set_time(clock.now() + LEASE + timedelta(seconds=1))
dispatcher.run_once()
"""


def database_url() -> str:
    """The test database, as a URL a separate worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(script: str = WORKER) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
    }
    return subprocess.Popen([sys.executable, "-c", script], env=env)  # noqa: S603


def test_a_worker_killed_mid_delivery_leaves_the_event_to_be_delivered_after_restart(
    endpoint, shop, receiver
):
    update_shop(shop, name="Renamed while the worker dies", description="")
    receiver.mode = "hang"  # the request arrives, the answer never comes
    worker = start_worker()
    try:
        assert receiver.arrived.wait(30), "the worker never sent the webhook"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    sent_id = receiver.received[0].headers["webhook-id"]
    # Nothing was recorded: the worker died before the answer, so the deliveries are still
    # owed, leased to the dead worker for a minute.
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert not DeliveryAttempt.objects.exists()
    receiver.mode = "ok"
    receiver.release.set()
    receiver.received.clear()
    assert dispatcher.run_once() == 0  # still leased: nobody sends it twice at once
    clock.set_time(clock.now() + LEASE + timedelta(seconds=1))
    try:
        dispatcher.run_once()  # the restarted worker
    finally:
        clock.set_time(None)
    assert sent_id in receiver.ids()  # the interrupted one came again, under the same id
    events = [Webhook(endpoint.secret).verify(r.body, r.headers) for r in receiver.received]
    renamed = next(e for e in events if e["type"] == "shop.updated")
    assert renamed["data"]["shop"]["name"] == "Renamed while the worker dies"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_worker_killed_among_many_deliveries_delivers_every_event_after_restart_same_ids(
    endpoint, shop, receiver
):
    since = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for n in range(30):
        update_shop(shop, name=f"Renamed {n}", description="")
    receiver.mode = "slow"  # each answer takes a moment: the kill lands in the middle of the run
    owed = set(Event.objects.filter(pk__gt=since).values_list("event_id", flat=True))
    assert len(owed) >= 30
    worker = start_worker()
    try:
        deadline = time.monotonic() + 30
        while Delivery.objects.filter(endpoint=endpoint, status="delivered").count() < 5:
            assert time.monotonic() < deadline, "the worker delivered nothing"
            assert worker.poll() is None, "the worker finished before it could be killed"
            time.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    delivered_before = Delivery.objects.filter(endpoint=endpoint, status="delivered").count()
    assert delivered_before < len(owed), "the kill did not land in the middle"
    sent_before = set(receiver.ids())

    receiver.mode = "ok"
    restarted = start_worker(RESTARTED_WORKER)
    assert restarted.wait(60) == 0
    assert set(Delivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {
        "delivered"
    }
    ids = receiver.ids()
    assert set(ids) == owed  # every event arrived, and under no id but its own
    for event_id in sent_before:  # what the dead worker had sent came again, if at all, as itself
        assert event_id in owed
    again = [i for i in set(ids) if ids.count(i) > 1]
    assert set(again) <= sent_before  # only what was in flight at the kill is sent twice
    names = {Webhook(endpoint.secret).verify(r.body, r.headers)["id"] for r in receiver.received}
    assert names == owed  # the signed body carries the same id as the header
