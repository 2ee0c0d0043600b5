"""Fault tests: a worker killed in the middle of a delivery; the event still arrives after restart."""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from standardwebhooks.webhooks import Webhook

from emporium.events import dispatcher
from emporium.events.models import Delivery, DeliveryAttempt
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


def database_url() -> str:
    """The test database, as a URL a separate worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "emporium.settings",
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1",
    }
    return subprocess.Popen([sys.executable, "-c", WORKER], env=env)  # noqa: S603


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
