"""The dispatcher: publishes new outbox events, fans them out to endpoints and delivers them.

It runs in the background worker (`emporium worker` starts it beside the queue consumer) as a
loop that wakes every fraction of a second; several workers may run it at once — publishing
is serialised by a row lock and each delivery is leased to one worker at a time.
"""

import logging
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime

import httpx
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from emporium.customer_events.batches import publish_batches
from emporium.ecosystem.models import Installation
from emporium.events import attempts, schedule, transport
from emporium.events.models import Delivery, Event, PublishCounter, WebhookEndpoint
from emporium.events.topics import allowed
from emporium.lib import clock

log = logging.getLogger(__name__)
PUBLISH_BATCH = 500
DELIVERY_BATCH = 64
PER_ENDPOINT = 4  # requests in flight to one endpoint from one worker


def publish() -> int:
    """Give unpublished events their feed positions and create their deliveries; one batch."""
    PublishCounter.objects.get_or_create(pk=1)
    with transaction.atomic():
        counter = PublishCounter.objects.select_for_update().get(pk=1)
        events = list(
            Event.objects.filter(position__isnull=True)
            .select_related("shop")
            .order_by("id")[:PUBLISH_BATCH]
        )
        if not events:
            return 0
        for offset, event in enumerate(events, start=1):
            event.position = counter.last_position + offset
        Event.objects.bulk_update(events, ["position"])
        counter.last_position += len(events)
        counter.save(update_fields=["last_position"])
        Delivery.objects.bulk_create(_deliveries_for(events))
    return len(events)


def _deliveries_for(events: list[Event]) -> list[Delivery]:
    now = clock.now()
    endpoints_of_app: dict[int, list[WebhookEndpoint]] = defaultdict(list)
    for endpoint in WebhookEndpoint.objects.filter(enabled=True):
        endpoints_of_app[endpoint.app_id].append(endpoint)
    installs: dict[int, list[Installation]] = defaultdict(list)
    shop_ids = {e.shop_id for e in events if e.shop_id}
    for row in Installation.objects.active().filter(shop_id__in=shop_ids):
        installs[row.shop_id].append(row)
    rows: list[Delivery] = []
    for event in events:
        if event.app_id:
            apps = [event.app_id]
        else:
            shop_installs = installs[event.shop_id] if event.shop_id else []
            apps = [i.app_id for i in shop_installs if allowed(event.topic, i.scope_set)]
        for app_id in apps:
            rows.extend(
                Delivery(event=event, endpoint=endpoint, next_attempt_at=now, created_at=now)
                for endpoint in endpoints_of_app[app_id]
                if endpoint.wants(event.topic)
            )
    return rows


def _claim(
    now: datetime, limit: int = DELIVERY_BATCH, in_flight: Counter[int] | None = None
) -> list[Delivery]:
    """Take up to `limit` due deliveries by pushing their next attempt a lease ahead; an endpoint
    gets at most PER_ENDPOINT in flight (`in_flight` counts what this worker is still sending)."""
    in_flight = in_flight or Counter()
    full = [pk for pk, count in in_flight.items() if count >= PER_ENDPOINT]
    with transaction.atomic():
        due = (
            Delivery.objects.filter(
                status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
            )
            .exclude(endpoint_id__in=full)
            .order_by("next_attempt_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed: list[Delivery] = []
        taken = Counter(in_flight)
        for delivery in due.select_related("event__shop", "endpoint")[:DELIVERY_BATCH]:
            if len(claimed) >= limit:
                break
            if taken[delivery.endpoint_id] < PER_ENDPOINT:
                taken[delivery.endpoint_id] += 1
                claimed.append(delivery)
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            next_attempt_at=now + schedule.LEASE
        )
    return claimed


def send_safely(http: httpx.Client, delivery: Delivery) -> transport.Outcome:
    """One delivery's attempt; whatever goes wrong in it stays its own failure, never the
    batch's, so one bad endpoint cannot hold back other apps' deliveries."""
    try:
        return attempts.send(http, delivery)
    except Exception as error:
        log.exception("delivery %s failed unexpectedly", delivery.pk)
        return transport.Outcome(None, 0, error=transport.clean(f"{type(error).__name__}", 300))


def deliver_due(http: httpx.Client | None = None, pool: ThreadPoolExecutor | None = None) -> int:
    """Send every delivery that is due now (one claimed batch); returns how many were tried."""
    claimed = _claim(clock.now())
    if not claimed:
        return 0
    own_http = http is None
    http = http or transport.client()
    try:
        if pool is None:
            outcomes = [send_safely(http, d) for d in claimed]
        else:
            outcomes = list(pool.map(lambda d: send_safely(http, d), claimed))
    finally:
        if own_http:
            http.close()
    attempts.record_outcomes(list(zip(claimed, outcomes, strict=True)))
    return len(claimed)


def run_once(http: httpx.Client | None = None, pool: ThreadPoolExecutor | None = None) -> int:
    """Publish and deliver until nothing is due; returns how many deliveries were tried."""
    while publish():
        pass
    tried = 0
    while batch := deliver_due(http, pool):
        tried += batch
    return tried


class Senders:
    """The worker's senders. Each delivery is recorded as soon as its own answer is in, and an
    endpoint has at most PER_ENDPOINT requests in flight: an endpoint that hangs holds only its
    own senders (each for at most the attempt's deadline) while other endpoints' deliveries
    keep being claimed and sent."""

    def __init__(self, size: int, http: httpx.Client):
        self.size = size
        self.http = http
        self.pool = ThreadPoolExecutor(size, thread_name_prefix="webhook")
        self.in_flight: dict[Future[transport.Outcome], Delivery] = {}

    def per_endpoint(self) -> Counter[int]:
        return Counter(d.endpoint_id for d in self.in_flight.values())

    def start(self) -> int:
        free = self.size - len(self.in_flight)
        claimed = _claim(clock.now(), free, self.per_endpoint()) if free > 0 else []
        for delivery in claimed:
            self.in_flight[self.pool.submit(send_safely, self.http, delivery)] = delivery
        return len(claimed)

    def finish(self, wait_seconds: float) -> int:
        """Record what has been answered, waiting up to `wait_seconds` for the first answer."""
        if not self.in_flight:
            return 0
        done, _ = wait(self.in_flight, timeout=wait_seconds, return_when=FIRST_COMPLETED)
        for future in done:
            delivery = self.in_flight.pop(future)
            attempts.record_outcomes([(delivery, future.result())])
        return len(done)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_forever(stop: threading.Event, idle_seconds: float = 0.2) -> None:
    """The worker's dispatcher loop; `stop` ends it between rounds."""
    http = transport.client()
    senders = Senders(settings.WEBHOOK_SENDERS, http)
    batched_at = 0.0
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                if time.monotonic() - batched_at >= settings.CUSTOMER_EVENTS_BATCH_SECONDS:
                    batched_at = time.monotonic()
                    _batch_customer_events()
                while publish():
                    pass
                busy = senders.start()
                busy += senders.finish(0 if busy else idle_seconds)
            except Exception:
                log.exception("dispatcher round failed; trying again")
                busy = 0
            if not busy and not senders.in_flight:
                stop.wait(idle_seconds)
    finally:
        senders.close()
        http.close()
        connection.close()  # this thread's own connection


def _batch_customer_events() -> None:
    # Storefront events reach analytics apps within seconds, not at the minute task: what a
    # "visitors online now" figure needs. The minute task stays as the safety net.
    publish_batches()


def start_thread() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(stop,), name="dispatcher", daemon=True)
    thread.start()
    return thread, stop


def wait_until_idle(timeout: float = 10.0) -> None:
    """Tests and the benchmark: return once nothing is unpublished or due."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unpublished = Event.objects.filter(position__isnull=True).exists()
        due = Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now(), endpoint__enabled=True
        ).exists()
        if not unpublished and not due:
            return
        time.sleep(0.05)
    raise TimeoutError("the dispatcher did not catch up")
