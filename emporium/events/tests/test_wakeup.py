"""On PostgreSQL an idle dispatcher is woken by a committed event (LISTEN/NOTIFY), not by its
poll: the event reaches the receiver in well under the poll interval, and an event that is not
committed yet wakes no one."""

import threading
import time

import pytest
from django.db import connection, transaction

from emporium.events import dispatcher, outbox

pytestmark = pytest.mark.django_db(transaction=True)

LONG_POLL = 60.0  # far longer than any wait the tests accept: only a notification ends it


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no notifications: the dispatcher polls every 20 ms there")


class Sleeper:
    """A dispatcher's idle wait, on a thread (and database connection) of its own."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.listening = threading.Event()
        self.woke_at: float | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        assert self.listening.wait(10), "the sleeper never started listening"

    def run(self) -> None:
        try:
            wakeup = dispatcher.Wakeup(self.stop, 0.02, LONG_POLL)
            wakeup.news()  # the first look, as the dispatcher's loop makes it; LISTEN is on
            self.listening.set()
            wakeup.sleep()
            self.woke_at = time.monotonic()
        finally:
            connection.close()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(10)


def test_a_committed_event_wakes_an_idle_dispatcher_at_once_and_an_uncommitted_one_does_not(shop):
    sleeper = Sleeper()
    try:
        with transaction.atomic():
            outbox.record("shop.updated", shop=shop, data={"n": 1})
            time.sleep(0.5)
            assert sleeper.woke_at is None  # written, not committed: nothing to find yet
        committed = time.monotonic()
        sleeper.thread.join(10)
        assert sleeper.woke_at is not None, "a committed event did not wake the dispatcher"
        assert sleeper.woke_at - committed < 5  # the poll would have taken LONG_POLL
    finally:
        sleeper.end()


def test_a_rolled_back_event_wakes_no_one(shop):
    sleeper = Sleeper()
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.record("shop.updated", shop=shop, data={"n": 1})
            raise RuntimeError("the change failed")
        time.sleep(1)
        assert sleeper.woke_at is None
    finally:
        sleeper.end()


def test_an_idle_dispatcher_delivers_a_new_event_without_waiting_for_its_poll(
    endpoint, shop, receiver, monkeypatch
):
    monkeypatch.setattr(dispatcher, "POLL_SECONDS", LONG_POLL)
    thread, stop = dispatcher.start_thread()
    try:
        time.sleep(1)  # it has looked once and sleeps on the connection now
        written = time.monotonic()
        with transaction.atomic():
            outbox.record("shop.updated", shop=shop, data={"n": 1})
        assert receiver.arrived.wait(10), "the event was never delivered"
        assert receiver.received[0].at - written < 5
    finally:
        stop.set()
        thread.join(10)
